package batches

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/matching"
)

// A batch's DIMACS instance numbers its nodes (matching.WriteDIMACS: 1 the
// source, 2 the sink, then the seekers, then the openings). Its mapping
// ties each node to who or what it is, so that an auditor can tie a flow
// line "f 3 12 1" to a proposal: seekers by a pseudonym proper to the
// batch (and, for coordinators who ask, the person's id), openings by
// their id, and each assigned seeker to its proposal.

// MappingID is the key the batch's mapping is stored under, beside its
// instance.
func MappingID(batchID string) string { return batchID + "/mapping" }

// Pseudonym is a seeker's pseudonym in a batch: the same person has
// another in another batch, so mappings do not link them.
func Pseudonym(batchID, beneficiaryID string) string {
	sum := sha256.Sum256([]byte(batchID + "/" + beneficiaryID))
	return "p-" + hex.EncodeToString(sum[:6])
}

// mappingOf is the stored mapping: node, role, pseudonym, id, proposal.
func mappingOf(batchID string, seekers []matching.Seeker, openings []matching.Opening, proposalOf map[int32]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"node", "role", "pseudonym", "id", "proposal"})
	for i, s := range seekers {
		_ = w.Write([]string{strconv.Itoa(i + 3), "seeker", Pseudonym(batchID, s.ID), s.ID, proposalOf[int32(i)]})
	}
	for j, o := range openings {
		_ = w.Write([]string{strconv.Itoa(len(seekers) + j + 3), "opening", "", o.ID, ""})
	}
	w.Flush()
	return buf.Bytes()
}

// WriteMapping writes the mapping of who's organisation's batch id as CSV:
// node, role, pseudonym, opening, proposal; with resolve, coordinators
// only, the person's id too (apperr.Forbidden for anyone else).
func (s *Service) WriteMapping(ctx context.Context, who access.Principal, id string, resolve bool, w io.Writer) error {
	if resolve && who.Role != access.Coordinator {
		return apperr.New(apperr.Forbidden, "Only coordinators resolve the pseudonyms of a batch.").FR("Seuls les coordinateurs lèvent les pseudonymes d'un lot.")
	}
	if _, err := s.Store.Batch(ctx, who.OrganisationID, id); err != nil {
		return err
	}
	var stored bytes.Buffer
	if err := s.Store.WriteInstance(ctx, MappingID(id), &stored); err != nil {
		return err
	}
	rows, err := csv.NewReader(&stored).ReadAll()
	if err != nil {
		return err
	}
	out := csv.NewWriter(w)
	head := []string{"node", "role", "pseudonym", "opening", "proposal"}
	if resolve {
		head = append(head, "beneficiary")
	}
	if err := out.Write(head); err != nil {
		return err
	}
	for _, r := range rows[1:] {
		line := []string{r[0], r[1], r[2], "", r[4]}
		if r[1] == "opening" {
			line[3] = r[3]
		}
		if resolve {
			ben := ""
			if r[1] == "seeker" {
				ben = r[3]
			}
			line = append(line, ben)
		}
		if err := out.Write(line); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}
