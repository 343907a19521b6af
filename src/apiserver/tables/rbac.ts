// Table printers for rbac.authorization.k8s.io bindings. Roles and ClusterRoles have no printer
// upstream: their storage uses the generic NAME / CREATED AT table (see defaults.ts).
import {age, ageColumn, column, nameColumn, nameOf, obj, objs, str, wideColumn} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts (other kinds dropped). */
function subjectsStrings(subjects: Obj[]): [string[], string[], string[]] {
  const users: string[] = []
  const groups: string[] = []
  const sas: string[] = []
  for (const s of subjects) {
    switch (s['kind']) {
      case 'ServiceAccount':
        sas.push(`${str(s['namespace'])}/${str(s['name'])}`)
        break
      case 'User':
        users.push(str(s['name']))
        break
      case 'Group':
        groups.push(str(s['name']))
        break
    }
  }
  return [users, groups, sas]
}

function bindingPrinter(scope: 'roleBinding' | 'clusterRoleBinding'): KindPrinter {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string'),
      ageColumn(),
      wideColumn('Users', 'string', `Users in the ${scope}`),
      wideColumn('Groups', 'string', `Groups in the ${scope}`),
      wideColumn('ServiceAccounts', 'string', `ServiceAccounts in the ${scope}`),
    ],
    row(o, ctx) {
      const ref = obj(o['roleRef'])
      const [users, groups, sas] = subjectsStrings(objs(o['subjects']))
      return {
        cells: [nameOf(o), `${str(ref['kind'])}/${str(ref['name'])}`, age(o, ctx.now), users.join(', '), groups.join(', '), sas.join(', ')],
      }
    },
  }
}

export const RBAC_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  RoleBinding: bindingPrinter('roleBinding'),
  ClusterRoleBinding: bindingPrinter('clusterRoleBinding'),
}
