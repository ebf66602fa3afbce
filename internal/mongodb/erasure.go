package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/parcours-emploi/parcours/pathways"
)

var _ pathways.FreeTextEraser = (*DB)(nil)

// EraseFreeText removes what people wrote about an erased beneficiary
// outside the file: the employer and note of each situation (and of the
// measurements' copies), the reasons of the proposals' steps, the
// check-ins' topics and next steps and the end comment of mentorships, and
// the person's name and e-mail on convention documents. What the
// aggregate reports need (kinds, dates, categories, states) stays.
func (d *DB) EraseFreeText(ctx context.Context, org, beneficiaryID string) error {
	mine := bson.D{{Key: "organisationId", Value: org}, {Key: "beneficiaryId", Value: beneficiaryID}}
	// The monitoring attributes go whole: nothing aggregate needs them any more.
	if err := d.EraseMonitoring(ctx, org, beneficiaryID); err != nil {
		return err
	}
	if err := rewrite(ctx, d.col(colSituations), mine, func(s *situationDoc) {
		s.Employer, s.Note, s.EndReason = "", "", ""
		if s.Voided != nil {
			s.Voided.Reason = ""
		}
		for i := range s.History {
			s.History[i].Reason = ""
			s.History[i].Previous.Employer, s.History[i].Previous.Note, s.History[i].Previous.EndReason = "", "", ""
		}
	}, func(s situationDoc) string { return s.ID }); err != nil {
		return err
	}
	if err := rewrite(ctx, d.col(colMeasurements), mine, func(m *measurementDoc) {
		for i := range m.Situations {
			m.Situations[i].Employer, m.Situations[i].Note, m.Situations[i].EndReason = "", "", ""
		}
	}, func(m measurementDoc) string { return m.ID }); err != nil {
		return err
	}
	if err := rewrite(ctx, d.col(colProposals), mine, func(p *proposalDoc) {
		p.DeclineReason, p.Inputs = "", "" // the inputs hold where the person lives and what they said of themselves
		for i := range p.History {
			p.History[i].Reason = ""
		}
	}, func(p proposalDoc) string { return p.ID }); err != nil {
		return err
	}
	if err := rewrite(ctx, d.col(colMentorships), mine, func(m *mentorshipDoc) {
		m.EndComment = ""
		for i := range m.CheckIns {
			m.CheckIns[i].Topics, m.CheckIns[i].NextStep = []string{}, ""
		}
	}, func(m mentorshipDoc) string { return m.ID }); err != nil {
		return err
	}
	return rewrite(ctx, d.col(colDocuments), mine, func(doc *documentDoc) {
		doc.BeneficiaryName = ""
		for i := range doc.Signatories {
			if doc.Signatories[i].Party == "beneficiary" {
				doc.Signatories[i].Name, doc.Signatories[i].Email = "", ""
				if s := doc.Signatories[i].Signed; s != nil {
					s.Name, s.IP, s.UserAgent = "", "", ""
				}
			}
		}
	}, func(doc documentDoc) string { return doc.ID })
}

// rewrite replaces each document the filter finds by what change makes of it.
func rewrite[T any](ctx context.Context, c *mongo.Collection, filter bson.D, change func(*T), idOf func(T) string) error {
	cur, err := c.Find(ctx, filter)
	if err != nil {
		return translate(err, "find "+c.Name()+" to erase")
	}
	var docs []T
	if err := cur.All(ctx, &docs); err != nil {
		return translate(err, "find "+c.Name()+" to erase")
	}
	for _, doc := range docs {
		change(&doc)
		if _, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: idOf(doc)}}, doc); err != nil {
			return translate(err, "erase the text of "+c.Name()+" "+idOf(doc))
		}
	}
	return nil
}
