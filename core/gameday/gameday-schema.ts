// The schema of a game-day script (gamedays/*.yaml, docs/gameday.md). Injects, objectives and the
// steady state use the scenario vocabulary (scenario-schema.ts): the same actions and checks, the
// same one-key mappings, the same `<path>: got ..., expected ...` problems.
import { z } from 'zod';
import { actionSchema, checkSchema } from '../scenarios/scenario-schema.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const kebabId = (example: string) =>
  z.string().regex(KEBAB, `kebab-case: lower-case words joined by "-", such as "${example}"`);
const text = (what: string) => z.string().regex(/\S/, what);
const duration = z
  .string()
  .regex(/^(?=.)(\d+h)?(\d+m)?(\d+s)?$/, 'a duration such as "30s", "5m" or "1m30s"');

/** The roles of a shared lab (core/contract/roles.ts) a game day expects among its responders. */
export const RESPONDER_ROLES = ['commander', 'operator', 'scribe', 'observer'] as const;

type Ctx = z.core.$RefinementCtx;
const problem = (ctx: Ctx, message: string, path: PropertyKey[] = []) =>
  ctx.addIssue({ code: 'custom', message, path });

const injectSchema = z
  .strictObject({
    id: kebabId('cart-down'),
    /** What the facilitator sees in the console; responders see it only at the end. */
    title: text('a title for the facilitator'),
    do: z.array(actionSchema).superRefine((actions, ctx) => {
      if (actions.length === 0) problem(ctx, 'got no actions, expected at least one action (the fault)');
    }),
    at: duration.optional(),
    when: z.array(checkSchema).optional(),
    /** With `when`: the condition is watched only once this inject has landed. */
    after: kebabId('cart-down').optional(),
  })
  .superRefine((inject, ctx) => {
    if (inject.at === undefined && inject.when === undefined)
      problem(ctx, 'got neither at nor when, expected at: <offset> (such as 2m) or when: [<check> ...]');
    else if (inject.at !== undefined && inject.when !== undefined)
      problem(ctx, 'got both at and when, expected one of them', ['when']);
    else if (inject.when !== undefined && inject.when.length === 0)
      problem(ctx, 'got no checks, expected at least one check (the inject lands when all of them hold)', [
        'when',
      ]);
    if (inject.after !== undefined && inject.when === undefined)
      problem(ctx, 'got after without when, expected after only with when', ['after']);
  });

export const gamedaySchema = z
  .strictObject({
    id: kebabId('cart-outage'),
    title: text('a title'),
    briefing: text('markdown for the responders: the situation as they find it'),
    roles: z.array(z.enum(RESPONDER_ROLES)).superRefine((roles, ctx) => {
      if (roles.length === 0) problem(ctx, 'got no roles, expected at least one role of the responders');
    }),
    timeBox: duration,
    steadyState: z.array(checkSchema).default([]),
    injects: z.array(injectSchema).superRefine((injects, ctx) => {
      if (injects.length === 0) problem(ctx, 'got no injects, expected at least one inject');
    }),
    objectives: z.array(checkSchema).superRefine((checks, ctx) => {
      if (checks.length === 0)
        problem(ctx, 'got no objectives, expected at least one check (the team has met it when it holds)');
    }),
    hints: z.array(text('a hint')).default([]),
    rollback: z.array(actionSchema).default([]),
  })
  .superRefine((g, ctx) => {
    const ids = g.injects.map((i) => i.id);
    ids.forEach((id, i) => {
      const first = ids.indexOf(id);
      if (first < i)
        problem(ctx, `got "${id}" again, expected an id not used by injects[${first}]`, ['injects', i, 'id']);
    });
    g.injects.forEach((inject, i) => {
      if (inject.after === undefined) return;
      const target = ids.indexOf(inject.after);
      if (target === -1)
        problem(ctx, `got "${inject.after}", expected the id of another inject: ${ids.join(', ')}`, [
          'injects',
          i,
          'after',
        ]);
      else if (target === i)
        problem(ctx, `got its own id, expected the id of another inject`, ['injects', i, 'after']);
    });
  });

export type GamedayDocument = z.output<typeof gamedaySchema>;
export type Inject = GamedayDocument['injects'][number];
