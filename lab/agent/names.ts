/** The lab worker's agent name: dispatches name it. */
export const LAB_AGENT_NAME = 'lab-agent';
/** The lab worker's health-check port (on 127.0.0.1 in the namespace). */
export const LAB_WORKER_PORT = 8181;
