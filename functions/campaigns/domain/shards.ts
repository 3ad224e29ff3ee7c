/**
 * Recipients are spread over shards: each shard is sent by its own worker, in parallel with the others, walking its
 * own key range, and counts into its own counter item. A one-shot plans them round robin; a drip step's recipient
 * (created when it is due) takes a hash of the candidate id, so it is found again without a lookup.
 */
export const SHARDS = 8;

export const shardOf = (candidateId: string) => {
  let hash = 0;
  for (const char of candidateId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % SHARDS;
};
