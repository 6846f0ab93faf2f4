import { runCli, runCliInProcess, writeKubeconfig, type CliResult } from './cli';
import { FakeApiServer, type FakeApiServerOptions } from './fake-api-server';
import { tempDir } from './fleet-files';

/** The bearer token the fixture's server expects and its kubeconfig carries. */
export const TOKEN = 'test-token';

/** A test API server, a scratch HOME and a kubeconfig for it, fresh for every test of the enclosing describe. */
export interface ApiServerFixture {
  readonly server: FakeApiServer;
  readonly home: string;
  readonly kubeconfig: string;
  /** Runs the CLI in this process (`runCliInProcess`) with KUBECONFIG pointing at the server. */
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs the built CLI (`runCli`) with KUBECONFIG pointing at the server. */
  binary(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
}

/** Registers beforeEach/afterEach hooks that start and stop the server; read the fixture inside tests only. */
export function useApiServer(options: FakeApiServerOptions = { token: TOKEN }): ApiServerFixture {
  let server: FakeApiServer;
  let home: { dir: string; cleanup: () => void };
  let kubeconfig: string;
  beforeEach(async () => {
    server = new FakeApiServer(options);
    await server.start();
    home = tempDir();
    kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN);
  });
  afterEach(async () => {
    await server.stop();
    home.cleanup();
  });
  return {
    get server() {
      return server;
    },
    get home() {
      return home.dir;
    },
    get kubeconfig() {
      return kubeconfig;
    },
    cli: (args, env = {}) => runCliInProcess(args, { home: home.dir, env: { KUBECONFIG: kubeconfig, ...env } }),
    binary: (args, env = {}) => runCli(args, { home: home.dir, env: { KUBECONFIG: kubeconfig, ...env } }),
  };
}
