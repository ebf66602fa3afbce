package notify

import (
	"context"
	"crypto/subtle"
	"slices"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// Preferences are what people choose to hear of.
type Preferences struct {
	Users access.Store
}

// Choose records who's choices, kind by kind: a kind their role does not
// hear of, or a daily summary their role may not have, is apperr.Invalid
// naming it, and nothing is recorded.
func (p *Preferences) Choose(ctx context.Context, who access.Principal, choices map[Kind]Choice) (access.User, error) {
	u, err := p.Users.User(ctx, who.UserID)
	if err != nil {
		return u, err
	}
	kinds, daily := Choices(u.Role)
	var bad []apperr.FieldError
	for k, c := range choices {
		switch {
		case !slices.Contains(kinds, k):
			bad = append(bad, apperr.FieldError{Pointer: "/" + string(k), Tag: "oneof",
				Detail: "Your role does not receive this kind of e-mail.", DetailFR: "Votre rôle ne reçoit pas ce type d'e-mail."})
		case c != AtOnce && c != Never && (c != Daily || !daily):
			bad = append(bad, apperr.FieldError{Pointer: "/" + string(k), Tag: "oneof",
				Detail: "Choose at once, a daily summary or never.", DetailFR: "Choisissez : tout de suite, dans un résumé quotidien, ou jamais."})
		}
	}
	if len(bad) > 0 {
		return u, apperr.Invalidf(bad, "Some choices are not valid.").FR("Certains choix ne sont pas valides.")
	}
	next := map[string]string{}
	for k, c := range u.Notices {
		next[k] = c
	}
	for k, c := range choices {
		if c == AtOnce {
			delete(next, string(k))
		} else {
			next[string(k)] = string(c)
		}
	}
	u.Notices = next
	return u, p.Users.ReplaceUser(ctx, u)
}

// Unsubscribe stops one kind of e-mail for the user whose unsubscribe
// token is given, with no login: the link every news e-mail carries. For
// the daily summary, every kind the user had in it stops. A wrong token
// or user is apperr.NotFound. It returns the kinds stopped.
func (p *Preferences) Unsubscribe(ctx context.Context, userID string, kind Kind, token string) (access.User, []Kind, error) {
	notFound := apperr.NotFoundf("This link is not valid.").FR("Ce lien n'est pas valide.")
	u, err := p.Users.User(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return u, nil, notFound
	}
	if err != nil {
		return u, nil, err
	}
	if u.MailToken == "" || subtle.ConstantTimeCompare([]byte(u.MailToken), []byte(token)) != 1 {
		return access.User{}, nil, notFound
	}
	kinds, _ := Choices(u.Role)
	var stop []Kind
	switch {
	case kind == Digest:
		for _, k := range kinds {
			if ChoiceOf(u, k) == Daily {
				stop = append(stop, k)
			}
		}
	case slices.Contains(kinds, kind):
		stop = []Kind{kind}
	default:
		return access.User{}, nil, notFound
	}
	next := map[string]string{}
	for k, c := range u.Notices {
		next[k] = c
	}
	for _, k := range stop {
		next[string(k)] = string(Never)
	}
	u.Notices = next
	return u, stop, p.Users.ReplaceUser(ctx, u)
}
