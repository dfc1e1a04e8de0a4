// The destination types and formats that the plugins of these tests provide, declared for the type
// checker as a user declares a plugin's names (docs/plugins.md, "Typed configs"). Part of the
// test program (tsconfig includes test/), so every test file's configs see them.
declare module '../../src/config/types.js' {
  interface HydraDestinationTypes {
    sink: { url?: string };
    collector: { url?: string; retries?: number };
    kafka: Record<string, unknown>;
    broken: { mode?: string };
    flaky: Record<string, unknown>;
    loop: Record<string, unknown>;
    ordered: Record<string, unknown>;
    'spy-sink': Record<string, unknown>;
    both: Record<string, unknown>;
  }
  interface HydraFormats {
    pipe: true;
    raw: true;
    crlf: true;
    fragile: true;
    spy: true;
  }
}

export {};
