package devstack

// DirectURI is FerretDB's own address behind m's proxy, for measurements.
func DirectURI(m *Mongo) string { return m.directURI() }
