package pathways

import (
	"context"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// EndSituation ends the situation sit of the file id on day end, with a
// reason (a contract lost in its trial period, a training left): the
// values it had stay in its history.
func (s *Service) EndSituation(ctx context.Context, who access.Principal, id, sit string, end civil.Date, reason string) (Situation, error) {
	return s.revise(ctx, who, id, sit, RevisionEnd, reason, func(x *Situation) []apperr.FieldError {
		if !end.Valid() {
			return []apperr.FieldError{{Pointer: "/endDate", Tag: "required", Detail: "The end date must be a date written YYYY-MM-DD.", DetailFR: "La date de fin doit être une date valide."}}
		}
		if eff := x.EffectiveEnd(); eff != "" && end > eff {
			return []apperr.FieldError{{Pointer: "/endDate", Tag: "lte", Detail: "A situation is ended on or before the day it was to end (" + string(eff) + "); correct it to lengthen it.",
				DetailFR: "Une situation se termine au plus tard le jour prévu (" + eff.French() + ") ; corrigez-la pour la prolonger."}}
		}
		x.End, x.EndReason = end, reason
		return nil
	})
}

// CorrectSituation replaces the values of the situation sit of the file id
// by those of next (a mistyped contract, a wrong date), with a reason: the
// values it had stay in its history, and a measurement already made keeps
// them too; the next measurement run records a new version.
func (s *Service) CorrectSituation(ctx context.Context, who access.Principal, id, sit string, next SituationValues, reason string) (Situation, error) {
	return s.revise(ctx, who, id, sit, RevisionCorrect, reason, func(x *Situation) []apperr.FieldError {
		*x = x.WithValues(next)
		return nil
	})
}

// VoidSituation marks the situation sit of the file id as recorded by
// mistake, with a reason: it stays in the history, and nothing counts it.
func (s *Service) VoidSituation(ctx context.Context, who access.Principal, id, sit, reason string) (Situation, error) {
	return s.revise(ctx, who, id, sit, RevisionVoid, reason, func(x *Situation) []apperr.FieldError { return nil })
}

// revise applies change to a live situation of the file id, checks the
// result and the reason, and stores it with one more revision holding the
// values it replaced. The file's exit follows its programme exits.
func (s *Service) revise(ctx context.Context, who access.Principal, id, sitID, action, reason string, change func(*Situation) []apperr.FieldError) (Situation, error) {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return Situation{}, err
	}
	old, err := s.Situations.Situation(ctx, who.OrganisationID, sitID)
	if apperr.Is(err, apperr.NotFound) || err == nil && old.BeneficiaryID != b.ID {
		return Situation{}, apperr.NotFoundf("No such situation in this file.").FR("Cette situation n'existe pas dans ce dossier.")
	}
	if err != nil {
		return Situation{}, err
	}
	if old.Voided != nil {
		return Situation{}, apperr.Conflictf("This situation was voided; record a new one.").FR("Cette situation a été annulée ; enregistrez-en une nouvelle.")
	}
	next := old
	bad := change(&next)
	if l := len([]rune(reason)); l == 0 || l > 500 {
		bad = append(bad, apperr.FieldError{Pointer: "/reason", Tag: "required", Detail: "Say why, in 1 to 500 characters: the history keeps it.", DetailFR: "Dites pourquoi, en 1 à 500 caractères : l'historique le garde."})
	}
	if len(bad) > 0 {
		return Situation{}, apperr.Invalidf(bad, "The change is not valid.").FR("La modification n'est pas valide.")
	}
	if err := next.Validate(); err != nil {
		return Situation{}, err
	}
	now := s.now()
	stamp := Stamp{At: now, By: who.UserID, Reason: reason}
	if action == RevisionVoid {
		next.Voided = &stamp
	}
	next.History = append(append([]Revision(nil), old.History...), Revision{Action: action, Stamp: stamp, Previous: old.Values()})
	if err := s.Situations.ReviseSituation(ctx, next); err != nil {
		return Situation{}, err
	}
	if old.Kind == SituationProgrammeExit || next.Kind == SituationProgrammeExit {
		if err := s.followExit(ctx, b); err != nil {
			return Situation{}, err
		}
	}
	return next, WriteAudit(ctx, s.Audit, who, AuditUpdate, b.ID, now)
}

// ExitOf is the programme exit that counts among situations: the earliest
// one not voided. ok is false when the person has not left.
func ExitOf(situations []Situation) (exit Situation, ok bool) {
	for _, x := range Counted(situations) {
		if x.Kind == SituationProgrammeExit && (!ok || x.Start < exit.Start) {
			exit, ok = x, true
		}
	}
	return exit, ok
}

// followExit sets the file's exit day and reason from its situations.
func (s *Service) followExit(ctx context.Context, b Beneficiary) error {
	list, err := s.Situations.Situations(ctx, b.OrganisationID, b.ID)
	if err != nil {
		return err
	}
	exit, _ := ExitOf(list)
	if exit.Start == b.ExitedOn && exit.ExitReason == b.ExitReason {
		return nil
	}
	next := b
	next.ExitedOn, next.ExitReason, next.Version, next.UpdatedAt = exit.Start, exit.ExitReason, b.Version+1, s.now()
	return s.Store.ReplaceBeneficiary(ctx, next)
}

// SituationOf reads the situation sit of who's organisation's file id,
// voided or not, with its history.
func (s *Service) SituationOf(ctx context.Context, who access.Principal, id, sit string) (Beneficiary, Situation, error) {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return Beneficiary{}, Situation{}, err
	}
	x, err := s.Situations.Situation(ctx, who.OrganisationID, sit)
	if apperr.Is(err, apperr.NotFound) || err == nil && x.BeneficiaryID != b.ID {
		return Beneficiary{}, Situation{}, apperr.NotFoundf("No such situation in this file.").FR("Cette situation n'existe pas dans ce dossier.")
	}
	return b, x, err
}
