/**
 * A stand-in for a class whose code lives in a lazily loaded chunk (see `internal/load-*.ts`):
 * the chunk is loaded the first time the stand-in is used — `new`, `extends`, `instanceof`, a
 * static member — and every use is forwarded to the real class. `new Stand()` returns an instance
 * of the real class, `x instanceof Stand` tests against the real prototype, and subclasses work.
 */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature
export function lazyClass<C extends abstract new (...args: any[]) => unknown>(load: () => C): C {
  let real: C | undefined;
  const get = (): C => (real ??= load());
  // The target is a plain function so that `typeof` is 'function' and `new` is allowed; its own
  // `prototype` is writable, so forwarding it does not break the proxy invariants.
  const stand: C = new Proxy(function lazyClassStandIn() {} as unknown as C, {
    // `new Stand()` builds the real class; `class X extends Stand` passes X as newTarget.
    construct: (_t, args, newTarget) =>
      Reflect.construct(
        get() as unknown as new (
          ...a: unknown[]
        ) => object,
        args,
        newTarget === stand ? get() : newTarget,
      ),
    get: (_t, key) => Reflect.get(get(), key),
    set: (_t, key, value) => Reflect.set(get(), key, value),
    has: (_t, key) => Reflect.has(get(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
    // Reflection (Object.getOwnPropertyNames, descriptors) sees the real class's statics. The one
    // non-configurable key both share, `prototype`, keeps the stand-in's attributes (a proxy may
    // not report it otherwise) with the real class's value.
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (target, key) => {
      const real = Reflect.getOwnPropertyDescriptor(get(), key);
      if (key !== 'prototype' || real === undefined) return real;
      return { ...Reflect.getOwnPropertyDescriptor(target, key), value: real.value };
    },
  });
  return stand;
}

/**
 * A stand-in for a function whose code lives in a lazily loaded chunk: the chunk is loaded on the
 * first call, and every call is forwarded. Keeps the real function's name for stack traces and
 * `fn.name`.
 */
// biome-ignore lint/suspicious/noExplicitAny: any function signature
export function lazyFunction<F extends (...args: any[]) => unknown>(name: string, load: () => F): F {
  const stand = (...args: unknown[]): unknown => load()(...args);
  Object.defineProperty(stand, 'name', { value: name });
  return stand as F;
}
