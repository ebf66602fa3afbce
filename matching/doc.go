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
// reach a score. The engine never reads the clock: every call takes now.
//
// The ROME taxonomy (France Travail's job referential) is built in for the codes
// Parcours uses most and can be replaced by the full open-data files through
// LoadROME.
package matching
