// cacache (npm's cache library) ships no types: the part the local registry reads.
declare module 'cacache' {
  export const get: { byDigest(cache: string, integrity: string): Promise<Buffer> };
}
