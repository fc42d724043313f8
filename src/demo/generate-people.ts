import { seededRandom } from '../domain/seeded-random.js'
import { toCsv } from '../domain/to-csv.js'

/**
 * Realistic, deterministic sample data: an HR extract (people with departments, titles, managers,
 * employment statuses and dates) and account files of other systems that correlate to it. Used by
 * `provisio init` for the demo workspace and by the benchmarks at 100,000 rows.
 */

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'John',
  'Katherine',
  'Guido',
  'Sophie',
  'Niklaus',
  'Joan',
  'Bjarne',
  'Anita',
  'James',
  'Lynn',
  'Donald',
  'Shafi',
  'Brian',
  'Mary',
  'Yukihiro',
  'Carol',
  'Ward',
  'Élodie',
  'José',
  'Zoë',
  'Søren',
  'Chloé',
  'André',
]
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'McCarthy',
  'Johnson',
  'van Rossum',
  'Wilson',
  'Wirth',
  'Clarke',
  'Stroustrup',
  'Borg',
  'Gosling',
  'Conway',
  'Knuth',
  'Goldwasser',
  'Kernighan',
  'Shaw',
  'Matsumoto',
  'Shaw',
  'Cunningham',
  'Durand',
  'García',
  "O'Neil",
  'Kierkegaard',
  'Müller',
  'Lefèvre',
]
const DEPARTMENTS: readonly { name: string; code: string; titles: readonly string[] }[] = [
  {
    name: 'Engineering',
    code: 'ENG',
    titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'QA Engineer'],
  },
  { name: 'Sales', code: 'SAL', titles: ['Account Executive', 'Sales Engineer', 'Sales Development Rep'] },
  { name: 'Finance', code: 'FIN', titles: ['Accountant', 'Financial Analyst', 'Controller'] },
  { name: 'Human Resources', code: 'HR', titles: ['HR Generalist', 'Recruiter', 'HR Business Partner'] },
  {
    name: 'Operations',
    code: 'OPS',
    titles: ['Operations Analyst', 'Facilities Coordinator', 'Site Reliability Engineer'],
  },
  { name: 'Marketing', code: 'MKT', titles: ['Marketing Manager', 'Content Strategist', 'Designer'] },
]
const LOCATIONS = [
  { city: 'Austin', country: 'US' },
  { city: 'London', country: 'GB' },
  { city: 'Paris', country: 'FR' },
  { city: 'Pune', country: 'IN' },
  { city: 'Berlin', country: 'DE' },
]

export interface Person {
  employeeId: string
  firstName: string
  lastName: string
  displayName: string
  email: string
  department: string
  departmentCode: string
  title: string
  managerId: string
  location: string
  country: string
  /** A = active, L = leave of absence, T = terminated, P = pre-hire (starts in the future). */
  status: 'A' | 'L' | 'T' | 'P'
  hireDate: string
  terminationDate: string
  phone: string
}

export function generatePeople(count: number, seed = 42, today = new Date('2026-11-01T00:00:00Z')): Person[] {
  const rnd = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const people: Person[] = []
  const heads = new Map<string, string>()
  const used = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const dept = DEPARTMENTS[i % DEPARTMENTS.length] as (typeof DEPARTMENTS)[number]
    const firstName = pick(FIRST)
    const lastName = pick(LAST)
    const base = `${firstName}.${lastName}`
      .normalize('NFKD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase()
    const n = used.get(base) ?? 0
    used.set(base, n + 1)
    const employeeId = String(100000 + i)
    const head = heads.get(dept.code)
    if (head === undefined) heads.set(dept.code, employeeId)
    const r = rnd()
    const status: Person['status'] =
      i < DEPARTMENTS.length ? 'A' : r < 0.8 ? 'A' : r < 0.88 ? 'L' : r < 0.96 ? 'T' : 'P'
    const hire = new Date(today.getTime() - Math.floor(rnd() * 3650) * 86_400_000)
    if (status === 'P') hire.setTime(today.getTime() + (1 + Math.floor(rnd() * 30)) * 86_400_000)
    const termination =
      status === 'T' ? new Date(today.getTime() - Math.floor(rnd() * 60) * 86_400_000 + 86_400_000 * 5) : null
    const loc = pick(LOCATIONS)
    people.push({
      employeeId,
      firstName,
      lastName,
      displayName: `${firstName} ${lastName}`,
      email: `${base}${n === 0 ? '' : n}@example.com`,
      department: dept.name,
      departmentCode: dept.code,
      title: head === undefined ? `Head of ${dept.name}` : pick(dept.titles),
      managerId: head ?? '',
      location: loc.city,
      country: loc.country,
      status,
      hireDate: day(hire),
      terminationDate: termination ? day(termination) : '',
      // Valid North American numbers (exchange 2xx–9xx), one per person.
      phone: `+1${[512, 415, 212, 617][i % 4]}${200 + (Math.floor(i / 10000) % 800)}${String(i % 10000).padStart(4, '0')}`,
    })
  }
  return people
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10)
}

export const HR_COLUMNS = [
  'employeeId',
  'firstName',
  'lastName',
  'displayName',
  'email',
  'department',
  'title',
  'managerId',
  'location',
  'country',
  'status',
  'hireDate',
  'terminationDate',
  'phone',
] as const

export function hrCsv(people: readonly Person[]): string {
  return toCsv(
    HR_COLUMNS,
    people.map((p) => HR_COLUMNS.map((c) => p[c])),
  )
}

/** An account file of another system (10 columns, one multi-valued `groups`), correlating to HR by employee id. */
export function directoryCsv(people: readonly Person[], seed = 7): string {
  const rnd = seededRandom(seed)
  const header = [
    'username',
    'employeeNumber',
    'displayName',
    'mail',
    'givenName',
    'sn',
    'department',
    'title',
    'enabled',
    'groups',
  ]
  const rows = people.map((p) => {
    const groups = new Set([`${p.departmentCode}-all`, 'all-staff'])
    if (rnd() < 0.5) groups.add(`${p.departmentCode}-${rnd() < 0.5 ? 'admins' : 'projects'}`)
    if (rnd() < 0.2) groups.add('vpn-users')
    return [
      p.email.split('@')[0] as string,
      p.employeeId,
      p.displayName,
      p.email,
      p.firstName,
      p.lastName,
      p.department,
      p.title,
      p.status === 'T' ? 'false' : 'true',
      [...groups].join('|'),
    ]
  })
  return toCsv(header, rows)
}
