import type { CheckResult } from './check.ts';
import type { Exercise } from './types.ts';

const labels = { right: 'right      ', 'look-again': 'look again ' } as const;

/** The lines `workshop check` prints for one exercise: what is right, then what to look at again, with where to look. */
export function checkLines(result: CheckResult): string[] {
  const { exercise, items } = result;
  const lines = [`exercise ${exercise.number} (${exercise.letter}) ${exercise.title}`];
  if (result.answerPath) lines.push(`  answer: ${result.answerPath}`);
  const ordered = [...items.filter((i) => i.verdict === 'right'), ...items.filter((i) => i.verdict === 'look-again')];
  for (const item of ordered) {
    lines.push(`  ${labels[item.verdict]} [${item.about}] ${item.text}`);
    if (item.hint) lines.push(`              -> ${item.hint}`);
  }
  const again = items.filter((i) => i.verdict === 'look-again').length;
  lines.push(result.passed ? '  passed' : `  ${again === 0 ? 'nothing to check yet' : `${again} to look at again`}`);
  return lines;
}

/** One row per exercise for `workshop list`. */
export function listRows(exercises: Exercise[]): string[][] {
  return [
    ['#', 'letter', 'exercise', 'minutes', 'check reads'],
    ...exercises.map((e) => [String(e.number), e.letter, e.title, String(e.minutes), [e.runsOf ? `runs of ${e.runsOf}*` : '', e.answer ? 'answer.yaml' : ''].filter(Boolean).join(' + ')]),
  ];
}
