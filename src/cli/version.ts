import { libraryManifest } from '../_library-manifest';

/** The version of cdk8s-arlon this `arlonctl` belongs to (`unknown` when it runs outside its package). */
export function libraryVersion(from: string = __dirname): string {
  return libraryManifest(from)?.version ?? 'unknown';
}
