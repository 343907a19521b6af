// Public API of the manifest reader: kubectl's `-f` inputs read into objects, problems and lines.
export {readManifests, readEntries} from './read.js'
export {expandInputs, type InputEntry} from './inputs.js'
export {formatFieldPath, locateLine, type FieldPath} from './locate.js'
export {resolveScalar} from './scalars.js'
export {KUBE_YAML_SCHEMA, loadYamlDocument, type LoadedYaml} from './yaml-schema.js'
export {MANIFEST_EXTENSIONS, STDIN_SOURCE} from './inputs.js'
export type {
  ManifestObject,
  ManifestProblem,
  ManifestProblemKind,
  ManifestReadResult,
  ReadManifestsOptions,
} from './types.js'
