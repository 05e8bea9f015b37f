import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataFile } from '../datafiles/load.ts';
import { TierlabError } from '../errors.ts';
import { exerciseSchema } from './exercise-schema.ts';
import type { Exercise, ExerciseFile } from './types.ts';

export const workshopsDir = fileURLToPath(new URL('../../workshops/', import.meta.url));

/** The file that makes a folder of workshops/ an exercise. */
export const exerciseFileName = 'workshop.yaml';

/**
 * Every exercise under `dir`, in the order of their letters (a = 1, b = 2, …). A folder without
 * workshop.yaml is not an exercise; a broken workshop.yaml fails loudly, naming the field.
 */
export async function loadExercises(dir = workshopsDir): Promise<Exercise[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const exercises: Exercise[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name, exerciseFileName);
    if (!(await access(path).then(() => true, () => false))) continue;
    const file = await loadDataFile<ExerciseFile>(path, exerciseSchema);
    exercises.push({ ...file, id: entry.name, dir: join(dir, entry.name), number: 0 });
  }
  exercises.sort((a, b) => a.letter.localeCompare(b.letter));
  const letters = exercises.map((e) => e.letter);
  const twice = letters.find((letter, i) => letters.indexOf(letter) !== i);
  if (twice) throw new TierlabError('BAD_DATA_FILE', `${dir}: two exercises use the letter "${twice}"`, { details: { letter: twice } });
  return exercises.map((exercise, i) => ({ ...exercise, number: i + 1 }));
}

/** An exercise by number (2), letter (b) or folder name (b-microbatch-trigger). */
export function findExercise(exercises: Exercise[], ref: string): Exercise {
  const wanted = ref.trim().toLowerCase();
  const found = exercises.find((e) => String(e.number) === wanted || e.letter === wanted || e.id === wanted);
  if (!found) {
    throw new TierlabError('UNKNOWN_NAME', `no workshop exercise "${ref}"; known: ${exercises.map((e) => `${e.number} (${e.letter}, ${e.id})`).join(', ')}`, {
      details: { ref, known: exercises.map((e) => e.id) },
    });
  }
  return found;
}
