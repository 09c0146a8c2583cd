/**
 * Text normalisation for keyword matching (ROUTE-7): NFKC folds full-width
 * and half-width forms and compatibility characters ("ＲＥＦＵＮＤ" → "REFUND",
 * "ｶﾀｶﾅ" → "カタカナ"), then lower-casing folds case. Patterns and text go
 * through the same function, so they meet in one form.
 */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
