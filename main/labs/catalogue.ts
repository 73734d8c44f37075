// The lab catalogue: every lab under a directory (resources/labs/<id>/lab.yaml + lab.md) and the exam
// pool (resources/labs/exam.yaml), read and validated once. A lab is data; adding one needs no code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  LabFormatError,
  parseExam,
  parseLabManifest,
  splitMarkdown,
  type ExamDef,
  type LabDef,
} from './format';

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LabFormatError(`${file}: ${(e as Error).message}`);
  }
}

/** One lab from its directory; the directory's name is the lab's id. */
export function readLab(dir: string, dirName: string): LabDef {
  const file = join(dir, 'lab.yaml');
  const raw = parseLabManifest(file, readYaml(file));
  if (raw.id !== dirName)
    throw new LabFormatError(`${file}: id "${raw.id}" is not its directory's name "${dirName}"`);
  const mdFile = join(dir, 'lab.md');
  if (!existsSync(mdFile)) throw new LabFormatError(`${dir}: no lab.md`);
  const { intro, sections } = splitMarkdown(mdFile, readFileSync(mdFile, 'utf8'), raw.steps.length);
  return {
    ...raw,
    intro,
    steps: raw.steps.map((s, i) => ({
      ...s,
      title: sections[i]!.title,
      text: sections[i]!.text,
      hints: s.hints ?? [],
    })),
  };
}

export class LabCatalogue {
  private constructor(
    readonly labs: readonly LabDef[],
    readonly exam: ExamDef | undefined,
  ) {}

  /** Reads every lab under root (sorted by their order), and exam.yaml when there is one. */
  static load(root: string): LabCatalogue {
    const labs: LabDef[] = [];
    for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory() && existsSync(join(root, entry.name, 'lab.yaml')))
        labs.push(readLab(join(root, entry.name), entry.name));
    }
    labs.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    const examFile = join(root, 'exam.yaml');
    const exam = existsSync(examFile) ? parseExam(examFile, readYaml(examFile)) : undefined;
    return new LabCatalogue(labs, exam);
  }

  /** A lab by id, or by its order number ("3") or a unique prefix ("03", "03-namespace"). */
  find(ref: string): LabDef | undefined {
    const exact = this.labs.find((l) => l.id === ref);
    if (exact) return exact;
    if (/^\d+$/.test(ref)) {
      const byOrder = this.labs.find((l) => l.order === Number(ref));
      if (byOrder) return byOrder;
    }
    const prefixed = this.labs.filter((l) => l.id.startsWith(ref));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }
}
