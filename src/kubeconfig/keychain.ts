// Credentials in the OS keychain (Secret Service on Linux through D-Bus, Keychain on macOS, Credential
// Manager on Windows) via @napi-rs/keyring: `kube2 config set-credentials NAME --keychain` stores a
// token there and `kube2 credential get NAME`, the exec plugin written into the kubeconfig, reads it,
// so no token is kept in plaintext on disk. The native module is loaded only by those commands.
import {createRequire} from 'node:module'
import {UserError} from '../cli/errors.js'

export interface SecretStore {
  get(account: string): string | undefined
  set(account: string, secret: string): void
  delete(account: string): boolean
}

/** The keychain service kube2's entries are filed under (KUBE2_KEYCHAIN_SERVICE for tests). */
export function keychainService(): string {
  return process.env.KUBE2_KEYCHAIN_SERVICE || 'kube2'
}

interface KeyringEntry {
  getPassword(): string | null
  setPassword(secret: string): void
  deletePassword(): boolean
}

function unavailable(e: unknown): UserError {
  const why = (e as Error)?.message?.split('\n')[0] ?? String(e)
  return new UserError(`the OS keychain is not available: ${why} (on Linux it needs a Secret Service such as gnome-keyring-daemon in a D-Bus session)`)
}

export function osKeychain(service = keychainService()): SecretStore {
  let Entry: new (service: string, account: string) => KeyringEntry
  try {
    // Resolved at run time (a native module, kept out of the bundle).
    Entry = (createRequire(import.meta.url)('@napi-rs/keyring') as {Entry: typeof Entry}).Entry
  } catch (e) {
    throw unavailable(e)
  }
  const entry = (account: string) => new Entry(service, account)
  return {
    get(account) {
      try {
        return entry(account).getPassword() ?? undefined
      } catch (e) {
        throw unavailable(e)
      }
    },
    set(account, secret) {
      try {
        entry(account).setPassword(secret)
      } catch (e) {
        throw unavailable(e)
      }
    },
    delete(account) {
      try {
        return entry(account).deletePassword()
      } catch (e) {
        throw unavailable(e)
      }
    },
  }
}
