// What the `logs.*` procedures send: lines of a Deployment's pods and the containers that could
// not be read (kept apart from wire-types.ts, which is at its size limit).

/** One line of a pod's log (`logs.*`): the pod and container it came from, its time, its text. */
export interface LogLineView {
  pod: string;
  container: string;
  /** RFC 3339 time the runtime stamped on the line, '' if none. */
  at: string;
  text: string;
}

/** A container whose log could not be read, with the API's reason. */
export interface LogErrorView {
  pod: string;
  container: string;
  message: string;
}

/** `logs.deployment`: the lines of every pod of a Deployment, merged in time order. */
export interface DeploymentLogsView {
  namespace: string;
  deployment: string;
  pods: string[];
  lines: LogLineView[];
  errors: LogErrorView[];
}

/** `logs.follow`: a batch of new lines, or containers that could not be followed. */
export interface LogsMessage {
  lines: LogLineView[];
  errors: LogErrorView[];
}
