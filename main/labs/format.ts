// The lab format: what a lab manifest (resources/labs/<id>/lab.yaml) and the exam pool
// (resources/labs/exam.yaml) may say, as a JSON Schema every file is validated against on load, and
// the types the rest of main/labs works with. resources/labs/README.md documents it for lab authors.
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';

/** Where a check looks: an API space (supervisor, vcenter or guest:NAMESPACE/TKC) and what to read there. */
export interface CheckQuery {
  space?: string;
  resource: string;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** read as this SSO user (with their rights) rather than as the system */
  as?: string;
  /** with `allowed`: the verb to ask the authorizer about (default get, or list without a name) */
  verb?: string;
}

export interface CountBound {
  equals?: number;
  min?: number;
  max?: number;
}

/** A declarative check: an API query and a condition on what it returns, or a command in the shell's history. */
export interface CheckDef {
  id: string;
  description: string;
  hint: string;
  query?: CheckQuery;
  /** the query finds the object (true) or finds nothing (false) */
  exists?: boolean;
  /** how many objects the list query returns, or how many values the jsonpath finds */
  count?: number | CountBound;
  /** kubectl's jsonpath template, run on the object (or the List) */
  jsonpath?: string;
  equals?: string;
  notEquals?: string;
  matches?: string;
  oneOf?: string[];
  /** numeric comparisons of the jsonpath's text */
  min?: number;
  max?: number;
  /** a status condition, `Ready=True`: on the object, or on every object of a (non-empty) list */
  condition?: { type: string; status: string };
  /** the query's verb on its resource is allowed to its `as` user (true) or refused (false), as the API server's authorizer decides */
  allowed?: boolean;
  /** a command the learner ran since the lab started, from ~/.bash_history (a regular expression) */
  command?: string;
}

export interface StepDef {
  id: string;
  /** from the step's `## ` heading in lab.md */
  title: string;
  /** the step's Markdown */
  text: string;
  hints: string[];
  /** the reference solution: shell commands, one per line (heredocs allowed) */
  solution: string;
  checks: CheckDef[];
}

export interface LabStart {
  /** the scenario (resources/scenarios/<name>.yaml) the environment starts from */
  scenario: string;
  /** shell commands run as the administrator on a stepped clock after the reset, not in the history;
   *  each entry (a line, or several with a heredoc) must succeed */
  setup?: string[];
}

export interface LabDef {
  id: string;
  order: number;
  title: string;
  level: 'beginner' | 'intermediate' | 'advanced';
  /** expected duration in minutes */
  minutes: number;
  summary: string;
  start: LabStart;
  /** the introduction: lab.md before its first step heading */
  intro: string;
  steps: StepDef[];
  /** engine features the lab had to work around, for the record (shown to lab authors, not learners) */
  gaps?: string[];
}

export interface ExamTaskDef {
  id: string;
  title: string;
  text: string;
  points: number;
  solution: string;
  checks: CheckDef[];
}

export interface ExamDef {
  title: string;
  start: LabStart;
  minutes: number;
  tasks: number;
  pool: ExamTaskDef[];
}

const str = { type: 'string', minLength: 1 } as const;
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' } as const;

const query = {
  type: 'object',
  additionalProperties: false,
  required: ['resource'],
  properties: {
    space: {
      type: 'string',
      pattern: '^(supervisor|vcenter|guest:[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*)$',
    },
    resource: str,
    namespace: str,
    name: str,
    labelSelector: str,
    fieldSelector: str,
    as: str,
    verb: { enum: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] },
  },
} as const;

const check = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'description', 'hint'],
  properties: {
    id,
    description: str,
    hint: str,
    query,
    exists: { type: 'boolean' },
    count: {
      oneOf: [
        { type: 'integer', minimum: 0 },
        {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            equals: { type: 'integer', minimum: 0 },
            min: { type: 'integer', minimum: 0 },
            max: { type: 'integer', minimum: 0 },
          },
        },
      ],
    },
    jsonpath: str,
    equals: { type: 'string' },
    notEquals: { type: 'string' },
    matches: str,
    oneOf: { type: 'array', items: { type: 'string' }, minItems: 1 },
    min: { type: 'number' },
    max: { type: 'number' },
    condition: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'status'],
      properties: { type: str, status: { enum: ['True', 'False', 'Unknown'] } },
    },
    allowed: { type: 'boolean' },
    command: str,
  },
  // a check either reads the API (a query and exactly one kind of condition) or reads the history
  oneOf: [
    {
      required: ['query'],
      not: { required: ['command'] },
      oneOf: [
        { required: ['exists'] },
        { required: ['count'] },
        {
          required: ['jsonpath'],
          not: { required: ['count'] },
          oneOf: [
            { required: ['equals'] },
            { required: ['notEquals'] },
            { required: ['matches'] },
            { required: ['oneOf'] },
            { anyOf: [{ required: ['min'] }, { required: ['max'] }] },
          ],
        },
        { required: ['condition'] },
        { required: ['allowed'], properties: { query: { required: ['as'] } } },
      ],
    },
    { required: ['command'], not: { required: ['query'] } },
  ],
} as const;

const start = {
  type: 'object',
  additionalProperties: false,
  required: ['scenario'],
  properties: { scenario: id, setup: { type: 'array', items: str } },
} as const;

/** lab.yaml */
export const labSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'order', 'title', 'level', 'minutes', 'summary', 'start', 'steps'],
  properties: {
    id,
    order: { type: 'integer', minimum: 1 },
    title: str,
    level: { enum: ['beginner', 'intermediate', 'advanced'] },
    minutes: { type: 'integer', minimum: 1 },
    summary: str,
    start,
    gaps: { type: 'array', items: str },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'solution', 'checks'],
        properties: {
          id,
          hints: { type: 'array', items: str },
          solution: str,
          checks: { type: 'array', minItems: 1, items: check },
        },
      },
    },
  },
} as const;

/** exam.yaml */
export const examSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'start', 'minutes', 'tasks', 'pool'],
  properties: {
    title: str,
    start,
    minutes: { type: 'integer', minimum: 1 },
    tasks: { type: 'integer', minimum: 1 },
    pool: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'text', 'solution', 'checks'],
        properties: {
          id,
          title: str,
          text: str,
          points: { type: 'integer', minimum: 1 },
          solution: str,
          checks: { type: 'array', minItems: 1, items: check },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateLab = ajv.compile(labSchema);
const validateExam = ajv.compile(examSchema);

export class LabFormatError extends Error {}

function describe(file: string, errors: ErrorObject[] | null | undefined): string {
  // the deepest messages are the useful ones; oneOf's own summary repeats them
  const lines = (errors ?? [])
    .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'not')
    .map((e) => `  ${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
  const shown = lines.length
    ? [...new Set(lines)]
    : ['  a check needs a query with one condition, or a command'];
  return `${file} is not a valid lab file:\n${shown.join('\n')}`;
}

/** Checks within a step (or task) need distinct ids, and their regular expressions must compile. */
function checkChecks(file: string, where: string, checks: CheckDef[]): void {
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.id)) throw new LabFormatError(`${file}: ${where}: two checks named "${c.id}"`);
    seen.add(c.id);
    for (const re of [c.matches, c.command])
      if (re !== undefined)
        try {
          new RegExp(re);
        } catch (e) {
          throw new LabFormatError(`${file}: ${where}: check "${c.id}": ${(e as Error).message}`);
        }
  }
}

type RawStep = Omit<StepDef, 'title' | 'text' | 'hints'> & { hints?: string[] };
export type RawLab = Omit<LabDef, 'intro' | 'steps'> & { steps: RawStep[] };

/** Validates a parsed lab.yaml; throws LabFormatError naming the file and what is wrong. */
export function parseLabManifest(file: string, data: unknown): RawLab {
  if (!validateLab(data)) throw new LabFormatError(describe(file, validateLab.errors));
  const lab = data as unknown as RawLab;
  const ids = new Set<string>();
  for (const s of lab.steps) {
    if (ids.has(s.id)) throw new LabFormatError(`${file}: two steps named "${s.id}"`);
    ids.add(s.id);
    checkChecks(file, `step ${s.id}`, s.checks);
  }
  return lab;
}

/** Validates a parsed exam.yaml. */
export function parseExam(file: string, data: unknown): ExamDef {
  if (!validateExam(data)) throw new LabFormatError(describe(file, validateExam.errors));
  const exam = data as unknown as ExamDef;
  const ids = new Set<string>();
  for (const t of exam.pool) {
    if (ids.has(t.id)) throw new LabFormatError(`${file}: two tasks named "${t.id}"`);
    ids.add(t.id);
    t.points ??= 1;
    checkChecks(file, `task ${t.id}`, t.checks);
  }
  if (exam.tasks > exam.pool.length)
    throw new LabFormatError(`${file}: ${exam.tasks} tasks drawn from a pool of ${exam.pool.length}`);
  return exam;
}

/**
 * Splits lab.md: the introduction before the first `## ` heading, then one section per step, in the
 * manifest's order. The heading is the step's title.
 */
export function splitMarkdown(
  file: string,
  md: string,
  steps: number,
): { intro: string; sections: { title: string; text: string }[] } {
  const parts = md.split(/^## +/m);
  const intro = parts.shift()!.trim();
  const sections = parts.map((p) => {
    const nl = p.indexOf('\n');
    return {
      title: (nl < 0 ? p : p.slice(0, nl)).trim(),
      text: nl < 0 ? '' : p.slice(nl + 1).trim(),
    };
  });
  if (sections.length !== steps)
    throw new LabFormatError(
      `${file} has ${sections.length} step sections (## headings) for ${steps} steps in lab.yaml`,
    );
  return { intro, sections };
}
