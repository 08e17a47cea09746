/** Events the corrections module writes to the outbox. Payloads carry ids only. */
export interface CorrectionEvents {
  'correction.appended': { correctionId: number; storyId: number };
  'correction.removed': { correctionId: number; storyId: number };
}
