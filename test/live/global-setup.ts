/**
 * The live project's setup: it runs only inside the lab (lab/test.ts or `npm run lab -- …`), and
 * starts the lab's agent worker once for every test file; stopped when the run ends.
 */
import { labContext, startLabWorker } from '../../lab/session.js';

export default async function setup(): Promise<() => Promise<void>> {
  const worker = await startLabWorker(labContext());
  return () => worker.stop();
}
