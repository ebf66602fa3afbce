package httpapi

import (
	"context"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/conventions"
)

// Role sets used by the routes.
var (
	staff      = []access.Role{access.Coordinator, access.Adviser}
	publishers = []access.Role{access.Coordinator, access.Adviser, access.Agency}
	agencies   = []access.Role{access.Agency, access.Coordinator}
	mentors    = []access.Role{access.Mentor}
	everyone   = []access.Role{access.Coordinator, access.Adviser, access.Agency, access.Mentor}
	// coordinators alone read the fairness reports.
	coordinators = []access.Role{access.Coordinator}
	// mentorsAndStaff act on mentorships: staff of the organisation, or the mentor of one.
	mentorsAndStaff = []access.Role{access.Coordinator, access.Adviser, access.Mentor}
)

// routes is the whole HTTP surface. It registers the handlers and writes the
// OpenAPI document: a route missing here exists nowhere.
func (s *Server) routes() []route {
	return []route{
		{Method: "GET", Path: "/healthz", Summary: "Liveness: the process answers", Tag: "operations",
			Responses: map[int]any{200: Health{}}, Handler: s.healthz},
		{Method: "GET", Path: "/readyz", Summary: "Readiness: the database and the queue answer", Tag: "operations",
			Responses: map[int]any{200: Health{}, 503: Health{}}, Handler: s.readyz},
		{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This API's OpenAPI 3.1 document", Tag: "operations",
			Responses: map[int]any{200: map[string]any{}}, Handler: s.openapi},

		{Method: "POST", Path: "/api/v1/beneficiaries", Summary: "Create a beneficiary", Tag: "beneficiaries", Roles: staff,
			Request: BeneficiaryInput{}, Responses: map[int]any{201: Beneficiary{}}, Handler: s.createBeneficiary},
		{Method: "GET", Path: "/api/v1/beneficiaries", Summary: "List the organisation's beneficiaries (no sensitive field)", Tag: "beneficiaries", Roles: staff,
			Query: BeneficiaryQuery{}, Responses: map[int]any{200: page[BeneficiarySummary]{}}, Handler: s.listBeneficiaries},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id", Summary: "Read a beneficiary file (audit-logged)", Tag: "beneficiaries", Roles: staff,
			Responses: map[int]any{200: Beneficiary{}, 304: nil}, Handler: s.getBeneficiary},
		{Method: "PATCH", Path: "/api/v1/beneficiaries/:id", Summary: "Change a beneficiary file (JSON merge patch, If-Match required)", Tag: "beneficiaries", Roles: staff,
			Request: BeneficiaryInput{}, Responses: map[int]any{200: Beneficiary{}}, Handler: s.patchBeneficiary},
		{Method: "DELETE", Path: "/api/v1/beneficiaries/:id", Summary: "Erase a beneficiary's personal data (GDPR); anonymous statistics stay", Tag: "beneficiaries", Roles: staff,
			Responses: map[int]any{204: nil}, Handler: s.eraseBeneficiary},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id/suggestions", Summary: "Rank the opportunities or mentors of a kind for a beneficiary, each with its explanation", Tag: "matching", Roles: staff,
			Query: SuggestionQuery{}, Responses: map[int]any{200: Suggestions{}}, Handler: s.suggestions},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id/evaluation", Summary: "Explain one pair: its score and components, or the constraints it fails and what to do next", Tag: "matching", Roles: staff,
			Query: EvaluationQuery{}, Responses: map[int]any{200: PairEvaluation{}}, Handler: s.evaluation},

		{Method: "GET", Path: "/api/v1/rome", Summary: "Find ROME codes by the words of a trade or job title, accents and case ignored (the whole ROME 4.0 with its appellations)", Tag: "matching", Roles: everyone,
			Query: TradeQuery{}, Responses: map[int]any{200: Trades{}}, Handler: s.searchTrades},

		{Method: "POST", Path: "/api/v1/opportunities", Summary: "Publish a job offer, PMSMP placement or training session", Tag: "opportunities", Roles: publishers,
			Request: OpportunityInput{}, Responses: map[int]any{201: Opportunity{}}, Handler: s.createOpportunity},
		{Method: "GET", Path: "/api/v1/opportunities", Summary: "List opportunities (agencies: their own)", Tag: "opportunities", Roles: publishers,
			Query: OpportunityQuery{}, Responses: map[int]any{200: page[Opportunity]{}}, Handler: s.listOpportunities},
		{Method: "GET", Path: "/api/v1/opportunities/:id", Summary: "Read an opportunity", Tag: "opportunities", Roles: publishers,
			Responses: map[int]any{200: Opportunity{}, 304: nil}, Handler: s.getOpportunity},
		{Method: "PATCH", Path: "/api/v1/opportunities/:id", Summary: "Change an own opportunity (JSON merge patch, If-Match required)", Tag: "opportunities", Roles: publishers,
			Request: OpportunityInput{}, Responses: map[int]any{200: Opportunity{}}, Handler: s.patchOpportunity},
		{Method: "POST", Path: "/api/v1/opportunities/:id/close", Summary: "Close an own opportunity", Tag: "opportunities", Roles: publishers,
			Responses: map[int]any{200: Opportunity{}}, Handler: s.closeOpportunity},
		{Method: "PUT", Path: "/api/v1/agency/openings/:externalRef", Summary: "Create or update an opening by the agency's own reference (idempotent)", Tag: "agency", Roles: agencies,
			Request: OpportunityInput{}, Responses: map[int]any{200: Opportunity{}, 201: Opportunity{}}, Handler: s.putAgencyOpening},
		{Method: "POST", Path: `/api/v1/agency/openings\:batch`, Summary: "Create or update up to 500 openings, one result per item", Tag: "agency", Roles: agencies,
			Request: AgencyBatch{}, Responses: map[int]any{200: AgencyBatchResult{}}, Handler: s.batchAgencyOpenings},
		{Method: "GET", Path: "/api/v1/agency/proposals", Summary: "The candidates proposed on the agency's openings, newest first", Tag: "agency", Roles: agencies,
			Responses: map[int]any{200: HostProposals{}}, Handler: s.listHostProposals},
		{Method: "POST", Path: "/api/v1/agency/proposals/:id/answer", Summary: "Answer a candidate proposed on one of the agency's openings", Tag: "agency", Roles: agencies,
			Request: AnswerInput{}, Responses: map[int]any{200: HostProposal{}}, Handler: s.answerHostProposal},

		{Method: "POST", Path: "/api/v1/hosts", Summary: "Add a PMSMP host to the organisation's directory, by its SIRET (409 if the directory has it under any spelling)", Tag: "opportunities", Roles: staff,
			Request: HostInput{}, Responses: map[int]any{201: Host{}}, Handler: s.createHost},
		{Method: "GET", Path: "/api/v1/hosts", Summary: "Find the organisation's PMSMP hosts by the start of their name or SIRET", Tag: "opportunities", Roles: staff,
			Query: HostQuery{}, Responses: map[int]any{200: page[Host]{}}, Handler: s.listHosts},
		{Method: "GET", Path: "/api/v1/hosts/:siret", Summary: "Read a PMSMP host, under any spelling of its SIRET, with the conventions people entered with it", Tag: "opportunities", Roles: staff,
			Responses: map[int]any{200: HostDetail{}}, Handler: s.getHost},

		{Method: "POST", Path: "/api/v1/mentors", Summary: "Register a mentor", Tag: "mentors", Roles: staff,
			Request: MentorInput{}, Responses: map[int]any{201: Mentor{}}, Handler: s.createMentor},
		{Method: "GET", Path: "/api/v1/mentors", Summary: "List the organisation's mentors", Tag: "mentors", Roles: staff,
			Query: MentorQuery{}, Responses: map[int]any{200: page[Mentor]{}}, Handler: s.listMentors},
		{Method: "GET", Path: "/api/v1/mentors/me", Summary: "The calling mentor's own profile", Tag: "mentors", Roles: mentors,
			Responses: map[int]any{200: Mentor{}, 304: nil}, Handler: s.getMyMentor},
		{Method: "PATCH", Path: "/api/v1/mentors/me", Summary: "Change one's own mentor profile (skills, interests, languages, capacity, availability, pause)", Tag: "mentors", Roles: mentors,
			Request: MentorSelfInput{}, Responses: map[int]any{200: Mentor{}}, Handler: s.patchMyMentor},
		{Method: "GET", Path: "/api/v1/mentors/:id", Summary: "Read a mentor", Tag: "mentors", Roles: staff,
			Responses: map[int]any{200: Mentor{}, 304: nil}, Handler: s.getMentor},
		{Method: "PATCH", Path: "/api/v1/mentors/:id", Summary: "Change a mentor (JSON merge patch, If-Match required)", Tag: "mentors", Roles: staff,
			Request: MentorInput{}, Responses: map[int]any{200: Mentor{}}, Handler: s.patchMentor},

		// Proposals (every kind) and co-training mentorships.
		{Method: "POST", Path: "/api/v1/proposals", Summary: "Propose a pair: the server re-evaluates it and refuses an ineligible one (422) or one declined within the cooldown (409)", Tag: "proposals", Roles: staff,
			Request: ProposalInput{}, Responses: map[int]any{201: Proposal{}}, Handler: s.createProposal},
		{Method: "GET", Path: "/api/v1/proposals", Summary: "List the organisation's proposals", Tag: "proposals", Roles: staff,
			Query: ProposalQuery{}, Responses: map[int]any{200: page[Proposal]{}}, Handler: s.listProposals},
		{Method: "GET", Path: "/api/v1/proposals/:id", Summary: "Read a proposal with its history and explanation", Tag: "proposals", Roles: staff,
			Responses: map[int]any{200: Proposal{}, 304: nil}, Handler: s.getProposal},
		{Method: "GET", Path: "/api/v1/proposals/:id/derivation", Summary: "Derive a proposal's score again from the inputs it kept (same weights and taxonomy versions): stored and recomputed components side by side, and what today's records change", Tag: "proposals", Roles: staff,
			Responses: map[int]any{200: Derivation{}}, Handler: s.derivation},
		{Method: "POST", Path: "/api/v1/proposals/:id/approve", Summary: "Approve a proposed pair (human oversight)", Tag: "proposals", Roles: staff,
			Responses: map[int]any{200: Proposal{}}, Handler: s.approveProposal},
		{Method: "POST", Path: "/api/v1/proposals/:id/send", Summary: "Send an approved proposal (to the mentor); it expires without an answer", Tag: "proposals", Roles: staff,
			Responses: map[int]any{200: Proposal{}}, Handler: s.sendProposal},
		{Method: "POST", Path: "/api/v1/proposals/:id/withdraw", Summary: "Withdraw an open proposal", Tag: "proposals", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Proposal{}}, Handler: s.withdrawProposal},
		{Method: "POST", Path: "/api/v1/proposals/:id/answer", Summary: "Record the answer to a job, PMSMP or training proposal", Tag: "proposals", Roles: staff,
			Request: AnswerInput{}, Responses: map[int]any{200: Proposal{}}, Handler: s.answerProposal},
		{Method: "GET", Path: "/api/v1/mentors/me/proposals", Summary: "The proposals sent to the calling mentor, with the mentee view only", Tag: "mentoring", Roles: mentors,
			Query: MentorProposalQuery{}, Responses: map[int]any{200: page[MentorProposal]{}}, Handler: s.listMyProposals},
		{Method: "POST", Path: "/api/v1/proposals/:id/accept", Summary: "Accept a proposal sent to the calling mentor (409 when no capacity is left)", Tag: "mentoring", Roles: mentors,
			Responses: map[int]any{200: Acceptance{}}, Handler: s.acceptProposal},
		{Method: "POST", Path: "/api/v1/proposals/:id/decline", Summary: "Decline a proposal sent to the calling mentor, with a reason", Tag: "mentoring", Roles: mentors,
			Request: DeclineInput{}, Responses: map[int]any{200: MentorProposal{}}, Handler: s.declineProposal},
		{Method: "GET", Path: "/api/v1/mentors/me/mentorships", Summary: "The calling mentor's mentorships, with the mentee view only", Tag: "mentoring", Roles: mentors,
			Query: MyMentorshipQuery{}, Responses: map[int]any{200: page[MentorMentorship]{}}, Handler: s.listMyMentorships},
		{Method: "GET", Path: "/api/v1/mentorships", Summary: "List the organisation's mentorships with their follow-up state", Tag: "mentoring", Roles: staff,
			Query: MentorshipQuery{}, Responses: map[int]any{200: page[Mentorship]{}}, Handler: s.listMentorships},
		{Method: "GET", Path: "/api/v1/mentorships/:id", Summary: "Read a mentorship (staff, or its mentor)", Tag: "mentoring", Roles: mentorsAndStaff,
			Responses: map[int]any{200: Mentorship{}, 304: nil}, Handler: s.getMentorship},
		{Method: "POST", Path: "/api/v1/mentorships/:id/checkins", Summary: "Log a check-in of an active mentorship (its mentor or staff)", Tag: "mentoring", Roles: mentorsAndStaff,
			Request: CheckInInput{}, Responses: map[int]any{201: Mentorship{}}, Handler: s.addCheckIn},
		{Method: "POST", Path: "/api/v1/mentorships/:id/end", Summary: "End an active mentorship with a reason (its mentor or staff)", Tag: "mentoring", Roles: mentorsAndStaff,
			Request: EndInput{}, Responses: map[int]any{200: Mentorship{}}, Handler: s.endMentorship},

		// Background work: matching batches, situations, outcome reports.
		{Method: "POST", Path: "/api/v1/matching/batches", Summary: "Start a matching batch: recorded as queued, then run in the background", Tag: "matching", Roles: staff,
			Request: BatchInput{}, Responses: map[int]any{202: Batch{}}, Handler: s.createBatch},
		{Method: "GET", Path: "/api/v1/matching/batches/:id", Summary: "Read a matching batch: status, progress, objective, counts, durations", Tag: "matching", Roles: staff,
			Responses: map[int]any{200: Batch{}}, Handler: s.getBatch},
		{Method: "GET", Path: "/api/v1/matching/batches/:id/dimacs", Summary: "The exact instance a batch solved, as a DIMACS min-cost-flow problem", Tag: "matching", Roles: staff,
			Responses: map[int]any{200: nil}, ContentTypes: []string{"text/plain"}, Handler: s.getBatchInstance},
		{Method: "GET", Path: "/api/v1/matching/batches/:id/dimacs/mapping", Summary: "What each node of the batch's DIMACS instance is: a seeker's pseudonym (the person's id with resolve=true, coordinators only), an opening's id, the proposal of each assigned seeker (CSV)", Tag: "matching", Roles: staff,
			Query: MappingQuery{}, Responses: map[int]any{200: nil}, ContentTypes: []string{"text/csv"}, Handler: s.getBatchMapping},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id/conventions", Summary: "List a beneficiary's PMSMP conventions, oldest first", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: page[Convention]{}}, Handler: s.listConventions},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/conventions/:conventionId/renewal", Summary: "Renew a recorded PMSMP convention once, same host and objectives, from the day after it ends (409 naming each PMSMP rule it would break)", Tag: "outcomes", Roles: staff,
			Request: RenewalInput{}, Responses: map[int]any{201: Convention{}}, Handler: s.renewConvention},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/conventions/:conventionId/document", Summary: "Draft the document of a recorded PMSMP convention: parties, content, schedule, risks", Tag: "outcomes", Roles: staff,
			Request: DocumentInput{}, Responses: map[int]any{201: Document{}}, Handler: s.createDocument},
		{Method: "GET", Path: "/api/v1/convention-documents/:id", Summary: "Read a PMSMP convention document", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: Document{}}, Handler: s.getDocument},
		{Method: "GET", Path: "/api/v1/convention-documents/:id/pdf", Summary: "The PMSMP convention as a PDF", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: nil}, ContentTypes: []string{"application/pdf"}, Handler: s.documentPDF},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/send", Summary: "Send the convention for signature: each party gets a single-use link by e-mail", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: Document{}}, Handler: s.sendDocument},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/validate", Summary: "The prescriber validates the signed convention", Tag: "outcomes", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Document{}}, Handler: s.documentStep(conventions.Validated)},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/start", Summary: "The placement starts", Tag: "outcomes", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Document{}}, Handler: s.documentStep(conventions.InProgress)},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/end", Summary: "The placement ends: the tutor is asked for the assessment", Tag: "outcomes", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Document{}}, Handler: s.documentStep(conventions.Ended)},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/cancel", Summary: "Cancel the convention, with a reason", Tag: "outcomes", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Document{}}, Handler: s.documentStep(conventions.Cancelled)},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/reject", Summary: "The prescriber rejects the convention, with a reason", Tag: "outcomes", Roles: staff,
			Request: ReasonInput{}, Responses: map[int]any{200: Document{}}, Handler: s.documentStep(conventions.Rejected)},
		{Method: "POST", Path: "/api/v1/convention-documents/:id/assessment", Summary: "Record the assessment of an ended placement; a hire becomes the beneficiary's situation", Tag: "outcomes", Roles: staff,
			Request: AssessmentInput{}, Responses: map[int]any{200: Document{}}, Handler: s.assessDocument},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/situations", Summary: "Record a dated situation (contract, training, internship, job search, programme exit)", Tag: "outcomes", Roles: staff,
			Request: SituationInput{}, Responses: map[int]any{201: Situation{}}, Handler: s.createSituation},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/situations/:situationId/end", Summary: "End a situation early (a contract lost, a training left), with the reason; its values stay in its history", Tag: "outcomes", Roles: staff,
			Request: EndSituationInput{}, Responses: map[int]any{200: Situation{}}, Handler: s.endSituation},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/situations/:situationId/correction", Summary: "Correct a situation (a mistyped contract, a wrong date), with the reason; its values stay in its history, and the next measurement is a new version", Tag: "outcomes", Roles: staff,
			Request: CorrectionInput{}, Responses: map[int]any{200: Situation{}}, Handler: s.correctSituation},
		{Method: "POST", Path: "/api/v1/beneficiaries/:id/situations/:situationId/void", Summary: "Void a situation recorded by mistake, with the reason: it stays in the history and nothing counts it", Tag: "outcomes", Roles: staff,
			Request: VoidInput{}, Responses: map[int]any{200: Situation{}}, Handler: s.voidSituation},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id/situations", Summary: "List a beneficiary's situations by start date (audit-logged)", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: page[Situation]{}}, Handler: s.listSituations},
		{Method: "POST", Path: "/api/v1/programmes", Summary: "Add a programme to the organisation: its rule set, duration limit, horizons and target (coordinators; 409 if the name exists under any spelling)", Tag: "outcomes", Roles: staff,
			Request: ProgrammeInput{}, Responses: map[int]any{201: Programme{}}, Handler: s.createProgramme},
		{Method: "PUT", Path: "/api/v1/programmes/:id", Summary: "Change a programme's settings (coordinators): its files follow a new name; measurements made keep their rule set and version", Tag: "outcomes", Roles: staff,
			Request: ProgrammeInput{}, Responses: map[int]any{200: Programme{}}, Handler: s.changeProgramme},
		{Method: "GET", Path: "/api/v1/programmes", Summary: "List the organisation's programmes", Tag: "outcomes", Roles: staff,
			Responses: map[int]any{200: page[Programme]{}}, Handler: s.listProgrammes},
		{Method: "POST", Path: `/api/v1/measurements\:run`, Summary: "Measure a programme's due horizons now, as the nightly run does (coordinators; idempotent: only what changed is recorded, as a new version)", Tag: "outcomes", Roles: staff,
			Query: ExitsQuery{}, Responses: map[int]any{200: MeasurementRun{}}, Handler: s.runMeasurement},
		{Method: "GET", Path: "/api/v1/measurements", Summary: "The measurement snapshots: the latest version of each of a programme's enrolments at a horizon, or every version of one person's", Tag: "outcomes", Roles: staff,
			Query: MeasurementQuery{}, Responses: map[int]any{200: page[Measurement]{}}, Handler: s.listMeasurements},
		{Method: "GET", Path: "/api/v1/reports/exits", Summary: "Exits per cohort, live from the situations: by reason, excluded from the denominator, accessed employment or training between entry and exit, housing at exit (JSON, or CSV with Accept: text/csv)", Tag: "outcomes", Roles: staff,
			Query: ExitsQuery{}, Responses: map[int]any{200: ExitsReport{}}, ContentTypes: []string{"text/csv"}, Handler: s.exitsReport},
		{Method: "PUT", Path: "/api/v1/beneficiaries/:id/monitoring", Summary: "Record the attributes that monitor fairness (sex, nationality), with the person's consent: kept apart, never returned, read only in aggregate", Tag: "fairness", Roles: staff,
			Request: MonitoringInput{}, Responses: map[int]any{204: nil}, Handler: s.putMonitoring},
		{Method: "GET", Path: "/api/v1/reports/fairness", Summary: "The matching funnel of a programme by group (coordinators): counts, rates with Wilson 95% intervals, ratios to a reference group with alerts outside 0.8–1.25, small cells suppressed (JSON, or CSV with Accept: text/csv)", Tag: "fairness", Roles: coordinators,
			Query: FairnessQuery{}, Responses: map[int]any{200: FairnessReport{}}, ContentTypes: []string{"text/csv"}, Handler: s.fairnessReport},
		{Method: "GET", Path: "/api/v1/reports/positive-exits", Summary: "Positive exits per cohort at T+6 or T+12 under a named, versioned rule set (JSON, or CSV with Accept: text/csv)", Tag: "outcomes", Roles: staff,
			Query: ReportQuery{}, Responses: map[int]any{200: Report{}}, ContentTypes: []string{"text/csv"}, Handler: s.positiveExits},
	}
}

// Health answers the probes.
type Health struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks,omitempty"`
}

func (s *Server) healthz(c *fiber.Ctx) error { return c.JSON(Health{Status: "ok"}) }

func (s *Server) readyz(c *fiber.Ctx) error {
	h := Health{Status: "ok", Checks: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range s.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(c.UserContext(), 2e9)
			defer cancel()
			res := "ok"
			if err := check(ctx); err != nil {
				res = "unavailable"
				s.Logger.Warn("readiness check failed", "check", name, "error", err.Error())
			}
			mu.Lock()
			h.Checks[name] = res
			if res != "ok" {
				h.Status = "unavailable"
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if h.Status != "ok" {
		return c.Status(fiber.StatusServiceUnavailable).JSON(h)
	}
	return c.JSON(h)
}
