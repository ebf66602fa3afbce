// Package geo holds the places Parcours records: a WGS84 point, and the
// place of an opportunity or a mentor (département, postcode, town, and a
// point when known). Distances are the matching engine's business.
package geo

// Point is a WGS84 position in degrees.
type Point struct {
	Lat float64
	Lon float64
}

// Place is where an opportunity happens or a mentor works or meets.
type Place struct {
	Department string
	Postcode   string
	City       string
	Location   *Point
}
