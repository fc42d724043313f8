import type { ConfigProblem } from '../errors.js'
import type { AccountActionConfig, IdentityProfileConfig } from './config-schemas.js'
import type { ProblemSite } from './check-transform.js'
import { findAccessProfile, findSource, type WorkspaceConfig } from './workspace-config.js'

/**
 * Checks an identity profile's lifecycle states: technical names are unique (they are what
 * `cloudLifecycleState` holds), account actions name their sources as the reference allows, and the
 * sources and access profiles they name exist.
 */
export function checkLifecycleStates(
  config: WorkspaceConfig,
  profile: IdentityProfileConfig,
  at: Omit<ProblemSite, 'path'>,
  problems: ConfigProblem[],
): void {
  const report = (path: string, message: string): void => void problems.push({ ...at, path, message })
  const firstWith = new Map<string, number>()
  profile.lifecycleStates.forEach((state, i) => {
    const base = `lifecycleStates[${i}]`
    const first = firstWith.get(state.technicalName)
    if (first !== undefined) {
      report(
        `${base}.technicalName`,
        `duplicate technicalName "${state.technicalName}" (also lifecycleStates[${first}])`,
      )
    } else firstWith.set(state.technicalName, i)
    state.accessProfileIds.forEach((ap, j) => {
      if (!findAccessProfile(config, ap)) {
        report(`${base}.accessProfileIds[${j}]`, `no access profile named "${ap}"`)
      }
    })
    state.accountActions.forEach((action, j) =>
      checkAccountAction(config, action, `${base}.accountActions[${j}]`, report),
    )
  })
}

function checkAccountAction(
  config: WorkspaceConfig,
  action: AccountActionConfig,
  path: string,
  report: (path: string, message: string) => void,
): void {
  // An exported state may carry empty lists beside allSources; only a non-empty list names sources.
  const sourceIds = action.sourceIds ?? []
  const excluded = action.excludeSourceIds ?? []
  if (action.allSources === true && sourceIds.length > 0) {
    report(`${path}.sourceIds`, 'must be absent when allSources is true')
  }
  if (excluded.length > 0 && sourceIds.length > 0) {
    report(`${path}.excludeSourceIds`, 'cannot be combined with sourceIds (it goes with allSources: true)')
  }
  if (action.allSources !== true && sourceIds.length === 0) {
    report(
      path,
      excluded.length > 0
        ? 'excludeSourceIds needs allSources: true'
        : 'names the sources it acts on: sourceIds, or allSources: true',
    )
  }
  const check = (list: readonly string[], key: string, needsEnable: boolean): void =>
    list.forEach((nameOrId, k) => {
      const source = findSource(config, nameOrId)
      if (!source) report(`${path}.${key}[${k}]`, `no source named "${nameOrId}"`)
      // The reference: "sourceIds must have the ENABLE feature or flat file source".
      else if (needsEnable && source.connectionType !== 'file' && !source.features.includes('ENABLE')) {
        report(
          `${path}.${key}[${k}]`,
          `source "${source.name}" cannot be enabled or disabled: it is not a flat-file source and lacks the ENABLE feature`,
        )
      }
    })
  check(sourceIds, 'sourceIds', action.action !== 'DELETE')
  check(excluded, 'excludeSourceIds', false)
}
