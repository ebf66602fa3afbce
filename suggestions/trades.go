package suggestions

// Trade is a ROME code found by the words of a trade or job title, with
// its label and, when the code's own label did not match, the title that
// did.
type Trade struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Title string `json:"title,omitempty"`
}

// Trades finds at most limit ROME codes by the words of q (accents and
// case ignored, each word the start of a word of a label or title), or by
// a code; it also says which version of the referential answered.
func (s *Service) Trades(q string, limit int) (version string, found []Trade) {
	tax := s.Engine.Taxonomy()
	for _, t := range tax.Search(q, limit) {
		found = append(found, Trade{Code: t.Code, Label: t.Label, Title: t.Title})
	}
	return tax.Version(), found
}
