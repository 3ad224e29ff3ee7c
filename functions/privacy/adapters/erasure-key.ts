/** An erasure's record: kept after it completes, so other contexts can tell that a person was erased. */
export const erasureKey = (candidateId: string) => ({ PK: `ERASURE#${candidateId}`, SK: 'ERASURE' });
