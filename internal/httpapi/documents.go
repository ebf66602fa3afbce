package httpapi

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/conventions"
	"github.com/parcours-emploi/parcours/internal/pdf"
)

// DocumentInput is what the adviser writes on a PMSMP convention document.
type DocumentInput struct {
	BeneficiaryEmail string     `json:"beneficiaryEmail" validate:"required,email,max=200"`
	Tutor            TutorInput `json:"tutor"`
	PrescriberKind   string     `json:"prescriberKind" validate:"required,oneof=france-travail mission-locale cap-emploi siae structure-conventionnee"`
	PrescriberName   string     `json:"prescriberName" validate:"required,max=200"`
	Schedule         string     `json:"schedule" validate:"max=300"`
	HoursPerWeek     int        `json:"hoursPerWeek" validate:"min=0,max=48"`
	Place            string     `json:"place" validate:"max=300"`
	Objectives       string     `json:"objectives" validate:"required,max=2000"`
	Tasks            string     `json:"tasks" validate:"required,max=2000"`
	Risks            string     `json:"risks" validate:"max=2000"`
	Equipment        string     `json:"equipment" validate:"max=1000"`
}

// AssessmentInput is the tutor's account of an ended placement.
type AssessmentInput struct {
	Outcome  string `json:"outcome" validate:"required,oneof=completed partially-completed did-not-show"`
	Skills   string `json:"skills" validate:"max=2000"`
	Hired    bool   `json:"hired"`
	Contract string `json:"contract" validate:"required_if=Hired true,omitempty,oneof=cdi cdd interim subsidised-contract public-sector insertion-hire alternance"`
	Months   int    `json:"months" validate:"min=0,max=60"`
}

// DocumentSignatory is a party as the document shows it: never its link.
type DocumentSignatory struct {
	Party    string     `json:"party"`
	Name     string     `json:"name"`
	Email    string     `json:"email"`
	SignedAt *time.Time `json:"signedAt,omitempty"`
	SignedAs string     `json:"signedAs,omitempty"`
}

// DocumentStep is one step of a document.
type DocumentStep struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
}

// Document is a PMSMP convention as a document.
type Document struct {
	ID              string              `json:"id"`
	ConventionID    string              `json:"conventionId"`
	BeneficiaryID   string              `json:"beneficiaryId"`
	BeneficiaryName string              `json:"beneficiaryName"`
	HostSIRET       string              `json:"hostSiret"`
	HostName        string              `json:"hostName"`
	Tutor           TutorInput          `json:"tutor"`
	PrescriberKind  string              `json:"prescriberKind"`
	PrescriberName  string              `json:"prescriberName"`
	Structure       string              `json:"structure"`
	StartDate       civil.Date          `json:"startDate"`
	EndDate         civil.Date          `json:"endDate"`
	Schedule        string              `json:"schedule"`
	HoursPerWeek    int                 `json:"hoursPerWeek"`
	Place           string              `json:"place"`
	Objective       string              `json:"objective"`
	Objectives      string              `json:"objectives"`
	Tasks           string              `json:"tasks"`
	Risks           string              `json:"risks"`
	Equipment       string              `json:"equipment"`
	State           string              `json:"state"`
	Signatories     []DocumentSignatory `json:"signatories"`
	History         []DocumentStep      `json:"history"`
	Assessment      *AssessmentInput    `json:"assessment,omitempty"`
	Version         int64               `json:"version"`
}

func toDocument(d conventions.Document) Document {
	out := Document{ID: d.ID, ConventionID: d.ConventionID, BeneficiaryID: d.BeneficiaryID, BeneficiaryName: d.BeneficiaryName,
		HostSIRET: d.HostSIRET, HostName: d.HostName, Tutor: TutorInput(d.Tutor), PrescriberKind: d.PrescriberKind, PrescriberName: d.PrescriberName,
		Structure: d.Structure, StartDate: d.Start, EndDate: d.End, Schedule: d.Schedule, HoursPerWeek: d.HoursPerWeek, Place: d.Place,
		Objective: d.Objective, Objectives: d.Objectives, Tasks: d.Tasks, Risks: d.Risks, Equipment: d.Equipment, State: string(d.State),
		Signatories: []DocumentSignatory{}, History: []DocumentStep{}, Version: d.Version}
	for _, s := range d.Signatories {
		x := DocumentSignatory{Party: string(s.Party), Name: s.Name, Email: s.Email}
		if s.Signed != nil {
			at := s.Signed.At
			x.SignedAt, x.SignedAs = &at, s.Signed.Name
		}
		out.Signatories = append(out.Signatories, x)
	}
	for _, h := range d.History {
		out.History = append(out.History, DocumentStep{From: string(h.From), To: string(h.To), At: h.At, By: h.By, Reason: h.Reason})
	}
	if a := d.Assessment; a != nil {
		out.Assessment = &AssessmentInput{Outcome: a.Outcome, Skills: a.Skills, Hired: a.Hired, Contract: a.Contract, Months: a.Months}
	}
	return out
}

func (s *Server) createDocument(c *fiber.Ctx) error {
	var in DocumentInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.svc.Documents.Create(c.UserContext(), principal(c), c.Params("id"), c.Params("conventionId"), conventions.Content{
		BeneficiaryEmail: in.BeneficiaryEmail, Tutor: conventions.TutorOf(in.Tutor), PrescriberKind: in.PrescriberKind, PrescriberName: in.PrescriberName,
		Schedule: in.Schedule, HoursPerWeek: in.HoursPerWeek, Place: in.Place, Objectives: in.Objectives, Tasks: in.Tasks, Risks: in.Risks, Equipment: in.Equipment})
	if err != nil {
		return err
	}
	c.Location("/api/v1/convention-documents/" + d.ID)
	return c.Status(fiber.StatusCreated).JSON(toDocument(d))
}

func (s *Server) getDocument(c *fiber.Ctx) error {
	d, err := s.svc.Documents.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toDocument(d))
}

func (s *Server) sendDocument(c *fiber.Ctx) error {
	d, err := s.svc.Documents.Send(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toDocument(d))
}

// documentStep answers the staff step to.
func (s *Server) documentStep(to conventions.State) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in ReasonInput
		if len(c.Body()) > 0 {
			if err := s.decodeBody(c, &in); err != nil {
				return err
			}
		}
		d, err := s.svc.Documents.Move(c.UserContext(), principal(c), c.Params("id"), to, in.Reason)
		if err != nil {
			return err
		}
		return c.JSON(toDocument(d))
	}
}

func (s *Server) assessDocument(c *fiber.Ctx) error {
	var in AssessmentInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.svc.Documents.Assess(c.UserContext(), principal(c), c.Params("id"), conventions.Assessment{Outcome: in.Outcome, Skills: in.Skills,
		Hired: in.Hired, Contract: in.Contract, Months: in.Months})
	if err != nil {
		return err
	}
	return c.JSON(toDocument(d))
}

func (s *Server) documentPDF(c *fiber.Ctx) error {
	d, err := s.svc.Documents.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pdf.Convention(&buf, d); err != nil {
		return apperr.Wrap(apperr.Internal, err, "write the PDF")
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="convention-`+d.ID+`.pdf"`)
	return c.Send(buf.Bytes())
}
