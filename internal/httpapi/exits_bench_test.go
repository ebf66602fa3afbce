package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/pathways"
)

// BenchmarkExitsReport is the server time of the exits report of a
// programme of 300 people in 3 cohorts, each with four situations (a job
// search, a contract, a housing, and for two in three an exit), under the
// store the tests run (the embedded one unless MONGO_URI names another):
//
//	go test ./internal/httpapi -run '^$' -bench ExitsReport -benchtime 20x
func BenchmarkExitsReport(b *testing.B) {
	env := testenv.Get(b)
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), env.Database(b).Name())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	org := access.Organisation{ID: ids.New("org"), Name: "AGIR Rhône", Kind: "programme", CreatedAt: now}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		b.Fatal(err)
	}
	secret, _, _, err := access.IssueKey(ctx, db, org, access.Coordinator, "Coordinatrice", "bench", now, ids.New)
	if err != nil {
		b.Fatal(err)
	}
	prog := pathways.ProgrammeDefaults(pathways.Programme{ID: ids.New("prg"), OrganisationID: org.ID, Name: "AGIR", CreatedAt: now})
	if err := db.CreateProgramme(ctx, prog); err != nil {
		b.Fatal(err)
	}
	tenures := pathways.Tenures
	for i := range 300 {
		entry := civil.Date("2025-01-06").AddDate(0, i%3*2, i%28)
		ben := pathways.Beneficiary{ID: ids.New("ben"), OrganisationID: org.ID, FirstName: fmt.Sprint("P", i), LastName: "Bench",
			Enrolment: pathways.Enrolment{ProgrammeID: prog.ID, Programme: prog.Name, EntryDate: entry, Cohort: fmt.Sprint("2025-", i%3)},
			CreatedAt: now, UpdatedAt: now, Version: 1}
		sits := []pathways.Situation{
			{Kind: pathways.SituationJobSearch, Start: entry, End: entry.AddDate(0, 3, 0)},
			{Kind: []pathways.SituationKind{pathways.SituationCDI, pathways.SituationCDD, pathways.SituationQualifyingTraining}[i%3], Start: entry.AddDate(0, 3, 1), DurationMonths: 6 * (i % 3 % 2)},
			{Kind: pathways.SituationHousing, Start: entry, Tenure: tenures[i%len(tenures)]},
		}
		if i%3 != 0 {
			ben.ExitedOn, ben.ExitReason = entry.AddDate(0, 12, 0), pathways.ExitReasons[i%len(pathways.ExitReasons)]
			sits = append(sits, pathways.Situation{Kind: pathways.SituationProgrammeExit, Start: ben.ExitedOn, ExitReason: ben.ExitReason})
		}
		if err := db.CreateBeneficiary(ctx, ben); err != nil {
			b.Fatal(err)
		}
		for j, s := range sits {
			s.ID, s.OrganisationID, s.BeneficiaryID, s.RecordedAt = fmt.Sprintf("sit_%s_%d", ben.ID, j), org.ID, ben.ID, now
			if err := db.CreateSituation(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	api := httpapi.New(httpapi.Deps{Services: app.New(db, nil, app.Settings{}), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/api/v1/reports/exits?programme=agir", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := api.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%d %s", res.StatusCode, body)
		}
	}
}
