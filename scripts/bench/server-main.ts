/**
 * A bench server in its own process (started by the suite with child_process.fork): the options
 * come in BENCH_SERVER_OPTIONS; the parent asks for counters and stops it over IPC.
 */
import "reflect-metadata";
import { startBenchServer, type ServerOptions } from "./servers.js";

const send = (m: unknown) => process.send?.(m);

try {
  const server = await startBenchServer(JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? "{}") as ServerOptions);
  process.on("message", (m: { type: string; id?: number }) => {
    if (m.type === "counters") send({ type: "counters", id: m.id, counters: server.counters() });
    if (m.type === "stop") {
      server
        .close()
        .catch(() => {})
        .finally(() => {
          send({ type: "stopped" });
          process.disconnect?.();
          // --cpu-prof writes its profile on a normal exit
          process.exit(0);
        });
    }
  });
  // the suite went away (killed, crashed): do not stay behind as an orphan holding a port and a pool
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", url: server.url });
} catch (e) {
  send({ type: "failed", message: (e as Error).stack ?? String(e) });
  process.exit(1);
}
