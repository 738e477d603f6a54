/**
 * An in-memory register of learners indexed by their {@link Blocking} keys: for the CLI, the
 * benchmark, and vendors who want to match against their own learners with the service's rules.
 *
 * @since 0.1.0
 */
import * as Blocking from "./Blocking.js"
import * as Matching from "./Matching.js"
import * as Verification from "./Verification.js"

const slot = (key: Blocking.KeyName, value: string): string => `${key}\u0000${value}`

/**
 * The index. Add learners with {@link LearnerIndex.add}; search with {@link LearnerIndex.find},
 * {@link LearnerIndex.verify} and {@link LearnerIndex.checkDuplicate}.
 *
 * @since 0.1.0
 * @category models
 */
export class LearnerIndex {
  readonly #byUln = new Map<string, Matching.PreparedCandidate>()
  readonly #byKey = new Map<string, Array<Matching.PreparedCandidate>>()

  /**
   * How many learners the index holds.
   *
   * @since 0.1.0
   */
  get size(): number {
    return this.#byUln.size
  }

  /**
   * Adds a learner (linked learners too: give them their `masterUln`). A ULN added twice keeps the
   * first learner and returns `false`.
   *
   * @since 0.1.0
   */
  add(learner: Matching.Candidate): boolean {
    if (this.#byUln.has(learner.uln)) return false
    const prepared = Matching.prepareCandidate(learner)
    this.#byUln.set(learner.uln, prepared)
    const keys = Blocking.blockingKeys(learner)
    for (const name of Blocking.keyNames) {
      const value = keys[name]
      if (value === undefined) continue
      const id = slot(name, value)
      const list = this.#byKey.get(id)
      if (list === undefined) this.#byKey.set(id, [prepared])
      else list.push(prepared)
    }
    return true
  }

  /**
   * The learner with this ULN, as added.
   *
   * @since 0.1.0
   */
  get(uln: string): Matching.Candidate | undefined {
    return this.#byUln.get(uln)?.candidate
  }

  /**
   * The candidates a search's blocking keys fetch, each once.
   *
   * @since 0.1.0
   */
  candidates(search: Blocking.SearchKeyed): Array<Matching.PreparedCandidate> {
    const seen = new Set<Matching.PreparedCandidate>()
    const out: Array<Matching.PreparedCandidate> = []
    for (const lookup of Blocking.queryBlockingKeys(search)) {
      const list = this.#byKey.get(slot(lookup.key, lookup.value))
      if (list === undefined) continue
      for (const c of list) {
        if (!seen.has(c)) {
          seen.add(c)
          out.push(c)
        }
      }
    }
    return out
  }

  /**
   * Finds by demographics over the learners the search's blocking keys fetch ({@link Matching.find}).
   *
   * @since 0.1.0
   */
  find(search: Matching.Details): Matching.FindOutcome {
    return Matching.findPrepared(Matching.prepareSearch(search), this.candidates(search))
  }

  /**
   * The duplicate guard for a learner about to be registered ({@link Matching.checkDuplicate}).
   *
   * @since 0.1.0
   */
  checkDuplicate(details: Matching.Details): Matching.DuplicateCheck {
    return Matching.checkDuplicatePrepared(Matching.prepareSearch(details), this.candidates(details))
  }

  /**
   * Verifies details against the learner with the ULN, following a linked ULN to its master
   * ({@link Verification.verify}).
   *
   * @since 0.1.0
   */
  verify(request: Verification.Details & { readonly uln: string }): Verification.Outcome {
    const found = this.#byUln.get(request.uln)?.candidate
    if (found === undefined) return Verification.verify(request, undefined)
    const masterUln = found.masterUln
    const master = masterUln === undefined || masterUln === found.uln ? undefined : this.#byUln.get(masterUln)?.candidate
    return master === undefined
      ? Verification.verify(request, found)
      : Verification.verify(request, master, { linked: true })
  }
}

/**
 * An index holding the given learners.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (learners: Iterable<Matching.Candidate> = []): LearnerIndex => {
  const index = new LearnerIndex()
  for (const l of learners) index.add(l)
  return index
}
