/**
 * The caller's phone of a phone-line test file: a baresip phone started before the file's tests
 * and stopped after them, whatever they did.
 */
import { afterAll, beforeAll } from 'vitest';
import type { LabContext } from '../../lab/session.js';
import { CALLER_PORTS, Phone, type PhoneOptions } from '../../lab/sip/phone.js';

/** Registers the phone's start and stop; the returned function gives the running phone. */
export function callerPhone(
  lab: LabContext,
  options: Pick<PhoneOptions, 'autoAnswer'> = {},
): () => Phone {
  let phone: Phone | undefined;
  beforeAll(async () => {
    phone = await Phone.start({
      name: 'caller',
      ports: CALLER_PORTS,
      runDir: lab.LAB_RUN_DIR,
      ...options,
    });
  });
  afterAll(() => phone?.stop());
  return () => {
    if (!phone) throw new Error('the caller’s phone did not start (see the file’s beforeAll)');
    return phone;
  };
}
