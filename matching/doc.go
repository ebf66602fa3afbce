// Package matching is Parcours' pure matching engine: it says whether a seeker
// (a beneficiary) may be proposed an opening (a job offer's positions, a PMSMP
// host's slots, a training's seats, a mentor's free capacity), scores the pair in
// [0, 1] from named, weighted components, explains every score and every refusal
// in French and English, finds top-k suggestions through a candidate index
// without scoring every pair, and builds the batch assignment problem that the
// solver answers exactly.
//
// Inputs are the engine's own compact values (Seeker, Opening); converters from
// storage live with the callers. Protected attributes (nationality, gender, age,
// religion, protection status) are not fields of these values, so they can never
// reach a score (TestScoringInputsCarryNoProtectedAttribute keeps it so). The
// engine never reads the clock: every call takes now.
//
// Use:
//
//	e, err := matching.NewEngine(matching.DefaultTaxonomy(), matching.DefaultWeights())
//	ev := e.Evaluate(&seeker, &opening, now)        // one pair, fully explained
//	ix := e.NewIndex(openings)                      // once per set of openings
//	sugg := ix.TopOpenings(&seeker, 10, now)        // best first, explained
//	six := e.NewSeekerIndex(seekers)
//	best := six.TopSeekers(&opening, 10, now)
//	p, evs, err := e.BuildProblem(seekers, openings, 0.3, now) // evs[i] explains p.Arcs[i]
//	sol, err := matching.Solve(p)
//
// Hard constraints (Reason codes): kind, capacity, trade (the opening's ROME
// family must be one of the project's, the past jobs' or their mobility
// links'; openings without a code are for any trade), distance (haversine
// within the seeker's MaxKm when both places have coordinates, otherwise the
// same département), french (per skill), diploma and diploma-recognition,
// licence, dates, hours, days, mentor-untrained, accepted (an opening the seeker accepted
// already), declined (within the
// engine's cooldown), and the PMSMP rules of package jobs (pmsmp-*). Each
// failure carries sentences and, when there is one, a next step.
//
// Score components (ComponentName): rome (same code 1, mobility link 0.75,
// same domain 0.5, same family 0.25), skills (share of the skills asked that
// are held), french (0.5 at the level required, +0.25 per level above),
// distance (1 next door, 0.1 at the seeker's limit; 0.5 when only the
// département is known), availability (start delay for jobs, share of the
// seeker's hours), and for mentors sector, interests, languages. The score is
// the weighted mean over the components that apply to the kind; weights are
// versioned (Weights.Version) and recorded in every Evaluation with the
// taxonomy's version.
//
// The ROME taxonomy (France Travail's job referential) is built in for the
// codes Parcours uses most and can be replaced by the full open-data files
// through LoadROME.
//
// Solve finds the assignment of maximum total score exactly, as a min-cost
// flow, deterministically: by successive shortest paths while places are
// plentiful (seekers one by one, or in phases when many pairs tie), else by
// cost scaling (push-relabel with ε-scaling, solver_scaling.go). WriteDIMACS and ParseDIMACS exchange a
// batch as a DIMACS min-cost-flow file of the shape design.md fixes (source 1,
// sink 2, one arc per seeker, per candidate pair and per opening), which
// `parcours solve`, LEMON's dimacs-solver and GLPK's glpsol all read, so any
// batch can be audited and its optimum checked independently.
package matching
