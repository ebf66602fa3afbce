// Package notify sends the e-mails Parcours owes people: a login link, an
// invitation, and (with the people's preferences) the news of proposals,
// mentorships and outcomes. A message is recorded before it is queued, and
// its id is the event it tells of, so an event makes one message whatever
// retries and restarts happen; the worker that sends it claims it first
// and records it sent after, so a retried task does not send it twice. A
// sweep queues again what was recorded while the queue was down.
//
// The message holds the event's facts (Data), not its text: the adapter
// that sends (internal/mail) writes it in the recipient's language.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// Kind is what a message tells of.
type Kind string

// The kinds of message.
const (
	// LoginLink brings a login link (Data: secret, next).
	LoginLink Kind = "login-link"
	// Invitation welcomes a new user with a login link (Data: secret,
	// next, organisation, inviter).
	Invitation Kind = "invitation"

	// The news people may choose to receive or not (see Choices).

	// ProposalSent asks a mentor to answer a proposal (Data: proposal,
	// mentee, expires; secret and next of a login link to it).
	ProposalSent Kind = "proposal-sent"
	// ProposalExpiring reminds a mentor of a proposal about to expire
	// (Data as ProposalSent).
	ProposalExpiring Kind = "proposal-expiring"
	// CheckInsMissing tells a mentor the pair met too little lately (Data:
	// mentorship, mentee).
	CheckInsMissing Kind = "checkins-missing"
	// ProposalAnswered tells an adviser a proposal was accepted or declined
	// (Data: proposal, beneficiary, name, kind, opening, answer, reason).
	ProposalAnswered Kind = "proposal-answered"
	// MentorshipAlert tells an adviser a pair met too little (Data:
	// mentorship, beneficiary, name, mentor).
	MentorshipAlert Kind = "mentorship-alert"
	// HorizonDue tells an adviser a T+6 or T+12 horizon came without a
	// situation recorded (Data: beneficiary, name, horizon, date).
	HorizonDue Kind = "horizon-due"
	// FollowUpDue tells a person's referents a follow-up interview after
	// the exit falls due, or the support limit comes near (Data:
	// beneficiary, name, followUp, months, date).
	FollowUpDue Kind = "follow-up-due"
	// FairnessAlert tells a coordinator a group's rate at a stage of the
	// matching funnel differs from the reference group's beyond the band
	// (Data: programme, attribute, stage, group, reference, ratio, low,
	// high, from, to).
	FairnessAlert Kind = "fairness-alert"
	// BatchDone tells who launched a batch that it finished (Data: batch,
	// kind, assigned, status).
	BatchDone Kind = "batch-done"
	// AgencyProposal tells an agency a candidate was proposed on one of its
	// openings (Data: proposal, opening, title, kind).
	AgencyProposal Kind = "agency-proposal"
	// Digest gathers the day's news of a person who chose a daily summary
	// (Data: items, the held messages as JSON).
	Digest Kind = "digest"
)

// Choice is what a person chose for a kind of news.
type Choice string

// The choices: at once (the default), never, or in a daily summary
// (staff only).
const (
	AtOnce Choice = ""
	Never  Choice = "off"
	Daily  Choice = "digest"
)

// Choices lists the kinds of news a role hears of, and whether it may have
// them in a daily summary.
func Choices(role access.Role) (kinds []Kind, daily bool) {
	switch role {
	case access.Mentor:
		return []Kind{ProposalSent, ProposalExpiring, CheckInsMissing}, false
	case access.Coordinator:
		return []Kind{ProposalAnswered, MentorshipAlert, HorizonDue, FollowUpDue, BatchDone, FairnessAlert}, true
	case access.Adviser:
		return []Kind{ProposalAnswered, MentorshipAlert, HorizonDue, FollowUpDue, BatchDone}, true
	case access.Agency:
		return []Kind{AgencyProposal}, false
	}
	return nil, false
}

// ChoiceOf is u's choice for k: Never and Daily as recorded (Daily only
// where the role allows it), AtOnce otherwise.
func ChoiceOf(u access.User, k Kind) Choice {
	kinds, daily := Choices(u.Role)
	if !slices.Contains(kinds, k) {
		return AtOnce
	}
	switch c := Choice(u.Notices[string(k)]); {
	case c == Never, c == Daily && daily:
		return c
	}
	return AtOnce
}

// State is where a message is.
type State string

// Message states: queued (recorded, maybe on the queue), sending (claimed
// by a worker), sent, and failed (given up); skipped (the person chose not
// to receive this kind: recorded so the event is settled), held (waiting
// for the person's daily summary) and digested (gone out in one).
const (
	Queued   State = "queued"
	Sending  State = "sending"
	Sent     State = "sent"
	Failed   State = "failed"
	Skipped  State = "skipped"
	Held     State = "held"
	Digested State = "digested"
)

// secretData are the Data keys cleared once a message is sent.
var secretData = []string{"secret", "token"}

// Message is one e-mail to one person about one event.
type Message struct {
	// ID names the event ("login-link:lnk_…"): one message per event.
	ID     string
	Kind   Kind
	UserID string
	To     string
	Name   string
	Lang   access.Lang
	// Data are the event's facts the text is written from.
	Data      map[string]string
	State     State
	Attempts  int
	Error     string
	CreatedAt time.Time
	ClaimedAt *time.Time
	SentAt    *time.Time
}

// Outbox keeps messages.
type Outbox interface {
	// RecordMessage inserts m unless a message with its id exists; created
	// is false then (the event was recorded already).
	RecordMessage(ctx context.Context, m Message) (created bool, err error)
	// Message returns apperr.NotFound when there is none.
	Message(ctx context.Context, id string) (Message, error)
	// ClaimMessage moves the message to sending at the instant if it is
	// queued, or sending but claimed before staleBefore (its worker died),
	// and counts the attempt. apperr.Conflict (currentState) otherwise.
	ClaimMessage(ctx context.Context, id string, at, staleBefore time.Time) (Message, error)
	// MarkSent records the message sent at the instant and clears the
	// secret data it held.
	MarkSent(ctx context.Context, id string, at time.Time, clear []string) error
	// ReleaseMessage puts a message whose sending failed back to queued
	// (or failed for good), with the error.
	ReleaseMessage(ctx context.Context, id string, state State, reason string) error
	// PendingMessages returns up to limit messages queued and created
	// before the instant, or sending and claimed before staleBefore,
	// oldest first.
	PendingMessages(ctx context.Context, createdBefore, staleBefore time.Time, limit int) ([]Message, error)
	// HeldMessages returns up to limit messages held for a daily summary,
	// oldest first.
	HeldMessages(ctx context.Context, limit int) ([]Message, error)
	// MarkDigested records the held messages of ids gone out in the summary
	// digest.
	MarkDigested(ctx context.Context, ids []string, digest string) error
}

// Queue puts a message on the work queue; enqueuing one twice is a no-op.
type Queue interface {
	EnqueueMessage(ctx context.Context, id string) error
}

// Sender writes and sends one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Settings of the service.
const (
	// ClaimLease is how long a worker may take to send a message before
	// another may claim it.
	ClaimLease = 5 * time.Minute
	// SweepAge is how old a queued message must be before the sweep queues
	// it again: younger ones are still on their way to the queue.
	SweepAge = 10 * time.Second
	// MaxAttempts is how many sends of a message are tried before it is
	// given up.
	MaxAttempts = 10
)

// Service records and queues messages, and delivers them for the workers.
type Service struct {
	Outbox Outbox
	Queue  Queue
	// OnQueueError is told when the queue is unreachable (the message stays
	// recorded for the sweep); it may be nil.
	OnQueueError func(id string, err error)
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

var _ access.LinkMailer = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// Send records m, then queues it. An event recorded already is queued
// again (a no-op when its task is there); a queue that does not answer
// leaves the message for the sweep, not an error.
func (s *Service) Send(ctx context.Context, m Message) error {
	m.State, m.CreatedAt = Queued, s.now()
	if _, err := s.Outbox.RecordMessage(ctx, m); err != nil {
		return err
	}
	if err := s.Queue.EnqueueMessage(ctx, m.ID); err != nil && s.OnQueueError != nil {
		s.OnQueueError(m.ID, err)
	}
	return nil
}

// Announce records m for u as u chose: sent at once, held for the daily
// summary, or recorded as skipped (so the event is settled, and a change of
// mind later does not send old news). An event recorded already is left
// as it is. m's recipient fields are filled from u.
func (s *Service) Announce(ctx context.Context, u access.User, m Message) error {
	m.UserID, m.To, m.Name, m.Lang = u.ID, u.Email, u.Name, u.Lang
	if m.Data == nil {
		m.Data = map[string]string{}
	}
	m.Data["user"], m.Data["token"] = u.ID, u.MailToken
	switch ChoiceOf(u, m.Kind) {
	case Never:
		m.State = Skipped
	case Daily:
		m.State = Held
	default:
		return s.Send(ctx, m)
	}
	m.CreatedAt = s.now()
	_, err := s.Outbox.RecordMessage(ctx, m)
	return err
}

// DigestItem is one piece of news in a daily summary.
type DigestItem struct {
	Kind Kind              `json:"kind"`
	Data map[string]string `json:"data"`
}

// SendDigests gathers the held messages by person into one summary each,
// records and queues it, then marks them digested. A summary's id names
// the messages it holds, so a run cut short and run again sends the same
// summary once. It returns how many summaries it recorded.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	held, err := s.Outbox.HeldMessages(ctx, 5000)
	if err != nil {
		return 0, err
	}
	byUser := map[string][]Message{}
	var order []string
	for _, m := range held {
		if _, seen := byUser[m.UserID]; !seen {
			order = append(order, m.UserID)
		}
		byUser[m.UserID] = append(byUser[m.UserID], m)
	}
	n := 0
	for _, uid := range order {
		list := byUser[uid]
		ids := make([]string, len(list))
		items := make([]DigestItem, len(list))
		for i, m := range list {
			ids[i] = m.ID
			data := maps.Clone(m.Data)
			for _, k := range secretData {
				delete(data, k)
			}
			items[i] = DigestItem{Kind: m.Kind, Data: data}
		}
		b, err := json.Marshal(items)
		if err != nil {
			return n, err
		}
		sum := sha256.Sum256([]byte(strings.Join(ids, ",")))
		first := list[0]
		d := Message{ID: string(Digest) + ":" + uid + ":" + hex.EncodeToString(sum[:8]), Kind: Digest, UserID: uid, To: first.To,
			Name: first.Name, Lang: first.Lang, Data: map[string]string{"items": string(b), "user": uid, "token": first.Data["token"]}}
		if err := s.Send(ctx, d); err != nil {
			return n, err
		}
		if err := s.Outbox.MarkDigested(ctx, ids, d.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

var _ access.InvitationMailer = (*Service)(nil)

// MailInvitation welcomes u, invited by inviter into organisation, with
// the login link whose secret is given.
func (s *Service) MailInvitation(ctx context.Context, u access.User, linkID, secret, next, inviter, organisation string) error {
	return s.Send(ctx, Message{ID: string(Invitation) + ":" + linkID, Kind: Invitation, UserID: u.ID, To: u.Email, Name: u.Name,
		Lang: u.Lang, Data: map[string]string{"secret": secret, "next": next, "inviter": inviter, "organisation": organisation,
			"days": strconv.Itoa(int(access.InvitationLifetime / (24 * time.Hour)))}})
}

// MailLoginLink sends u the login link whose secret is given.
func (s *Service) MailLoginLink(ctx context.Context, u access.User, linkID, secret, next string) error {
	return s.Send(ctx, Message{ID: string(LoginLink) + ":" + linkID, Kind: LoginLink, UserID: u.ID, To: u.Email, Name: u.Name,
		Lang: u.Lang, Data: map[string]string{"secret": secret, "next": next}})
}

// Deliver sends the message id through sender, once: it claims the
// message, sends it, and records it sent. A message sent already, or being
// sent by another worker, is left alone (nil). A failed send puts it back
// for a retry and returns the error; after MaxAttempts it is given up.
func (s *Service) Deliver(ctx context.Context, id string, sender Sender) error {
	now := s.now()
	m, err := s.Outbox.ClaimMessage(ctx, id, now, now.Add(-ClaimLease))
	if apperr.Is(err, apperr.Conflict) {
		return nil
	}
	if err != nil {
		return err
	}
	m.Data = maps.Clone(m.Data)
	if err := sender.Send(ctx, m); err != nil {
		state := Queued
		if m.Attempts >= MaxAttempts {
			state = Failed
		}
		if rerr := s.Outbox.ReleaseMessage(context.WithoutCancel(ctx), id, state, err.Error()); rerr != nil {
			return rerr
		}
		return err
	}
	return s.Outbox.MarkSent(context.WithoutCancel(ctx), id, s.now(), secretData)
}

// Sweep queues again the messages recorded but not sent: queued for longer
// than SweepAge (the queue was down, or lost the task), or claimed by a
// worker that died. It returns how many it queued.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	list, err := s.Outbox.PendingMessages(ctx, now.Add(-SweepAge), now.Add(-ClaimLease), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range list {
		if err := s.Queue.EnqueueMessage(ctx, m.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
