/** What a role may do and see. */
export interface RoleOptions {
  /** Layers its subscriptions see: `'*'` (default) or a list of layer names. */
  layers?: '*' | string[];
  /**
   * Paths in the record, as the JSON format writes it, replaced by `"[REDACTED]"` in what this
   * role receives: a top-level key (`email`, a field) or a dotted path into nested objects
   * (`user.email`).
   */
  redact?: string[];
  /** May subscribe (WebSocket `subscribe`, SSE). Default true. */
  subscribe?: boolean;
  /** May send logs (`logs` frames, `POST …/ingest`). Default false. */
  ingest?: boolean;
}

/** A role ready for use: sets and split paths. */
export interface ResolvedRole {
  readonly name: string;
  /** `undefined`: every layer. */
  readonly layers: ReadonlySet<string> | undefined;
  readonly redact: readonly (readonly string[])[];
  readonly subscribe: boolean;
  readonly ingest: boolean;
}

/**
 * Built-in roles: `admin` sees everything and may ingest; `viewer` sees everything and may not
 * ingest; `producer` may only ingest (a browser that only sends logs). Options may replace them or
 * add others.
 */
export const DEFAULT_ROLES: Readonly<Record<string, RoleOptions>> = Object.freeze({
  admin: { layers: '*', subscribe: true, ingest: true },
  viewer: { layers: '*', subscribe: true, ingest: false },
  producer: { subscribe: false, ingest: true },
});

/** The roles of a bridge: the built-in ones with `custom` over them, checked. */
export function resolveRoles(
  custom: Readonly<Record<string, RoleOptions>> | undefined,
): Map<string, ResolvedRole> {
  const out = new Map<string, ResolvedRole>();
  for (const [name, r] of Object.entries({ ...DEFAULT_ROLES, ...custom })) {
    if (typeof r !== 'object' || r === null) throw new TypeError(`roles.${name} must be an object`);
    const { layers = '*', redact = [], subscribe = true, ingest = false } = r;
    if (layers !== '*' && (!Array.isArray(layers) || layers.some((l) => typeof l !== 'string')))
      throw new TypeError(`roles.${name}.layers must be '*' or an array of layer names`);
    if (!Array.isArray(redact) || redact.some((p) => typeof p !== 'string' || p === ''))
      throw new TypeError(`roles.${name}.redact must be an array of paths such as "user.email"`);
    out.set(name, {
      name,
      layers: layers === '*' ? undefined : new Set(layers),
      redact: redact.map((p) => p.split('.')),
      subscribe: subscribe === true,
      ingest: ingest === true,
    });
  }
  return out;
}
