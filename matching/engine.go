package matching

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Weights are the weights of the score's components, named and versioned so
// that every stored score can be reproduced. Weights need not sum to 1: a
// score divides by the sum of the weights that apply to the opening's kind
// (the last three apply to mentors only).
type Weights struct {
	Version      string  `json:"version"`
	ROME         float64 `json:"rome"`
	Skills       float64 `json:"skills"`
	French       float64 `json:"french"`
	Distance     float64 `json:"distance"`
	Availability float64 `json:"availability"`
	Sector       float64 `json:"sector"`
	Interests    float64 `json:"interests"`
	Languages    float64 `json:"languages"`
	// Outcome weighs the quality of the outcome the opening leads to.
	Outcome float64 `json:"outcome"`
}

// DefaultWeights is the current rule set's weighting.
func DefaultWeights() Weights {
	return Weights{
		Version:      "weights-2026-12-1",
		ROME:         0.35,
		Skills:       0.20,
		French:       0.15,
		Distance:     0.15,
		Availability: 0.15,
		Sector:       0.20,
		Interests:    0.15,
		Languages:    0.15,
		Outcome:      0.15,
	}
}

// Validate reports a weight that is negative or not finite, a missing
// version, or no positive weight.
func (w Weights) Validate() error {
	if w.Version == "" {
		return errors.New("weights need a version")
	}
	sum := 0.0
	for i, v := range w.array() {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("weight %s is %v: want a finite number >= 0", ComponentName(componentNames[i]), v)
		}
		sum += v
	}
	if sum <= 0 {
		return errors.New("weights are all zero")
	}
	return nil
}

func (w Weights) array() [numComponents]float64 {
	return [numComponents]float64{w.ROME, w.Skills, w.French, w.Distance, w.Availability, w.Sector, w.Interests, w.Languages, w.Outcome}
}

// Engine evaluates pairs under one taxonomy and one set of weights. It is
// immutable and safe for concurrent use.
type Engine struct {
	tax     *Taxonomy
	weights Weights
	w       [numComponents]float64
	norm    [2]float64 // sum of applicable weights: [0] other kinds, [1] mentors
}

// NewEngine returns an engine; a nil taxonomy means DefaultTaxonomy.
// Invalid weights are an error.
func NewEngine(tax *Taxonomy, w Weights) (*Engine, error) {
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("new matching engine: %w", err)
	}
	if tax == nil {
		tax = DefaultTaxonomy()
	}
	e := &Engine{tax: tax, weights: w, w: w.array()}
	for k, list := range kindComponents {
		for _, i := range list {
			e.norm[k] += e.w[i]
		}
	}
	if e.norm[0] <= 0 {
		return nil, errors.New("new matching engine: weights of the components common to all kinds are all zero")
	}
	return e, nil
}

// Taxonomy is the engine's ROME referential.
func (e *Engine) Taxonomy() *Taxonomy { return e.tax }

// Weights is the engine's weighting.
func (e *Engine) Weights() Weights { return e.weights }

// Evaluate checks every hard constraint of the pair and, when all hold,
// scores it. The result explains itself: failures with sentences and next
// steps, or components with values, weights and contributions, and unmet
// soft requirements.
func (e *Engine) Evaluate(s *Seeker, o *Opening, now time.Time) Evaluation {
	sc := e.prepSeeker(s)
	oc := e.prepOpening(o)
	return e.evaluate(&sc, &oc, now)
}

func (e *Engine) evaluate(sc *seekerCtx, oc *openingCtx, now time.Time) Evaluation {
	ev := Evaluation{
		SeekerID:        sc.s.ID,
		OpeningID:       oc.o.ID,
		Kind:            oc.o.Kind,
		WeightsVersion:  e.weights.Version,
		TaxonomyVersion: e.tax.version,
		At:              now,
	}
	e.check(sc, oc, now, &ev.Failures)
	if len(ev.Failures) > 0 {
		return ev
	}
	e.explainScore(sc, oc, now, &ev, nil)
	return ev
}

// evaluateEligible is evaluate for a pair the fast path has already found
// eligible: the constraints are not checked again. Components are carved
// from *slab when it has room (slab may be nil).
func (e *Engine) evaluateEligible(sc *seekerCtx, oc *openingCtx, now time.Time, slab *[]Component) Evaluation {
	ev := Evaluation{
		SeekerID:        sc.s.ID,
		OpeningID:       oc.o.ID,
		Kind:            oc.o.Kind,
		WeightsVersion:  e.weights.Version,
		TaxonomyVersion: e.tax.version,
		At:              now,
	}
	e.explainScore(sc, oc, now, &ev, slab)
	return ev
}

func (e *Engine) explainScore(sc *seekerCtx, oc *openingCtx, now time.Time, ev *Evaluation, slab *[]Component) {
	ev.Eligible = true
	f := facts{today: dayNum(now), romeHint: noHint}
	ev.Score = e.score(sc, oc, now, &f)
	ev.Components = e.components(oc, &f, slab)
	ev.Unmet = unmet(sc, oc, &f)
}

// Score checks the hard constraints and returns the score of an eligible
// pair; ok is false when a constraint fails. It builds no explanation.
func (e *Engine) Score(s *Seeker, o *Opening, now time.Time) (score float64, ok bool) {
	sc := e.prepSeeker(s)
	oc := e.prepOpening(o)
	return e.quick(&sc, &oc, now, dayNum(now), noHint)
}

// noHint says the ROME proximity of a pair is not known in advance.
const noHint Proximity = -1

// quick is Score on prepared values; today is now's day number and hint
// the pair's ROME proximity if the caller knows it, or noHint.
func (e *Engine) quick(sc *seekerCtx, oc *openingCtx, now time.Time, today int32, hint Proximity) (float64, bool) {
	return e.quickAt(sc, oc, now, today, hint, -1)
}

// quickAt is quick with the pair's distance in km when the caller has
// measured it (distance(sc, oc)), or a negative km.
func (e *Engine) quickAt(sc *seekerCtx, oc *openingCtx, now time.Time, today int32, hint Proximity, km float64) (float64, bool) {
	f := facts{today: today, romeHint: hint, km: km, kmSet: km >= 0}
	if !e.quickCheck(sc, oc, now, &f) {
		return 0, false
	}
	return e.score(sc, oc, now, &f), true
}
