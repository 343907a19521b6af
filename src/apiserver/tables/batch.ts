// Table printers for the batch group: Job (with the STATUS column of current releases) and CronJob,
// after pkg/printers/internalversion/printers.go.
import {humanDuration, parseTimestamp, translateTimestampSince} from '../../print/age.js'
import {
  age,
  ageColumn,
  arr,
  column,
  formatLabelSelector,
  int,
  isDeleting,
  layoutContainerCells,
  nameColumn,
  nameOf,
  obj,
  objs,
  printBoolPtr,
  spec,
  status,
  str,
  templateContainers,
  templateWideColumns,
} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

/** hasJobCondition: the first condition of the type decides, and only status True counts. */
function hasJobCondition(o: Obj, type: string): boolean {
  const c = objs(status(o)['conditions']).find((x) => x['type'] === type)
  return c !== undefined && c['status'] === 'True'
}

function jobStatus(o: Obj): string {
  if (hasJobCondition(o, 'Complete')) return 'Complete'
  if (hasJobCondition(o, 'Failed')) return 'Failed'
  if (isDeleting(o)) return 'Terminating'
  if (hasJobCondition(o, 'Suspended')) return 'Suspended'
  if (hasJobCondition(o, 'FailureTarget')) return 'FailureTarget'
  return 'Running'
}

function jobCompletions(o: Obj): string {
  const sp = spec(o)
  const succeeded = int(status(o)['succeeded'])
  if (sp['completions'] !== undefined && sp['completions'] !== null) return `${succeeded}/${int(sp['completions'])}`
  const parallelism = int(sp['parallelism'])
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`
}

/** DURATION: empty before the job starts, running time while it runs, total time once complete. */
function jobDuration(o: Obj, now: Date): string {
  const st = status(o)
  const start = parseTimestamp(st['startTime'])
  if (!start) return ''
  const end = parseTimestamp(st['completionTime'])
  return humanDuration((end ?? now).getTime() - start.getTime())
}

const jobPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const [names, images] = layoutContainerCells(templateContainers(o))
    return {
      cells: [
        nameOf(o),
        jobStatus(o),
        jobCompletions(o),
        jobDuration(o, ctx.now),
        age(o, ctx.now),
        names,
        images,
        formatLabelSelector(spec(o)['selector']),
      ],
    }
  },
}

const cronJobPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Schedule', 'string'),
    column('Timezone', 'string'),
    column('Suspend', 'boolean'),
    column('Active', 'integer'),
    column('Last Schedule', 'string'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const st = status(o)
    const last = st['lastScheduleTime']
    const lastSchedule = last === undefined || last === null ? '<none>' : translateTimestampSince(last, ctx.now)
    const timeZone = typeof sp['timeZone'] === 'string' ? sp['timeZone'] : '<none>'
    const jobSpec = obj(obj(sp['jobTemplate'])['spec'])
    const [names, images] = layoutContainerCells(obj(obj(jobSpec['template'])['spec'])['containers'])
    return {
      cells: [
        nameOf(o),
        str(sp['schedule']),
        timeZone,
        printBoolPtr(sp['suspend']),
        arr(st['active']).length,
        lastSchedule,
        age(o, ctx.now),
        names,
        images,
        formatLabelSelector(jobSpec['selector']),
      ],
    }
  },
}

export const BATCH_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Job: jobPrinter,
  CronJob: cronJobPrinter,
}
