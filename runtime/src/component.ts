/** A feature with a lifecycle: constructors only assign; start() opens sockets, files and timers; stop() closes them all. */
export interface Component {
  start(): Promise<void>;
  stop(): Promise<void>;
}
