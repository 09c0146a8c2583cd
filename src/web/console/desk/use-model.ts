/** Re-renders a component whenever the desk model changes. */
import { useEffect, useState } from 'preact/hooks';
import type { DeskModel } from './desk-model.js';

export function useModel(model: DeskModel): void {
  const [, setTick] = useState(0);
  useEffect(() => model.subscribe(() => setTick((n) => n + 1)), [model]);
}
