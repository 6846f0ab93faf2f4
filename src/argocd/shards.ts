import { createHash } from 'crypto';

/**
 * Which shard a cluster belongs to: a stable function of its name (the first 32 bits of its SHA-256) modulo the
 * fleet's shard count, so a cluster never moves while the count stays, adding a cluster moves no other, and shards
 * fill evenly.
 */
export function shardOf(name: string, shards: number): number {
  return createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % shards;
}

/** The shard's label in names and paths: two digits or more, `00`, `07`, `15`. */
export function shardLabel(shard: number, shards: number): string {
  return String(shard).padStart(Math.max(2, String(shards - 1).length), '0');
}
