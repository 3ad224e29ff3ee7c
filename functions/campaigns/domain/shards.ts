/**
 * Recipients are spread over shards by a hash of the candidate id: each shard is sent by its own worker, in
 * parallel with the others, walking its own key range, and counts into its own counter item.
 */
export const SHARDS = 8;

export const shardOf = (candidateId: string) => {
  let hash = 0;
  for (const char of candidateId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % SHARDS;
};
