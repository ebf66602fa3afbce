// Package devstack runs the stores Parcours needs inside the process, for the
// dev command and the test suite: a MongoDB-compatible store (FerretDB v1
// embedded, SQLite files under a data directory) and a Redis-compatible server
// (miniredis).
//
// FerretDB v1 runs an update's filter and its modification as two separate
// steps, so concurrent conditional updates could both match and both apply.
// Mongo therefore puts a small wire-protocol proxy in front of FerretDB that
// runs write commands (insert, update, delete, findAndModify and the
// collection and index commands) one at a time, each from its request until
// its reply; reads are not held back. Single-document conditional updates are
// thus atomic, as on MongoDB.
//
// Limits of the embedded store, beyond FerretDB v1's own (no multi-document
// transactions, no $lookup, no TTL or partial indexes): unacknowledged writes
// (w:0, OP_MSG moreToCome) and compressed messages are not used by Parcours;
// the first would not be serialized, the second is serialized whatever it
// holds. An aggregate with $out or $merge is treated as a read.
package devstack
