package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
)

// runKeys administers API keys: create (with its user, and the organisation
// if new), list, revoke.
func runKeys(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: want create, list or revoke")
	}
	log := newLogger(stderr, cfg.LogLevel)
	st, err := openStores(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
		fs.SetOutput(stderr)
		orgName := fs.String("org", "", "organisation name (created if new)")
		orgKind := fs.String("org-kind", "programme", "kind of a new organisation: programme, association, company, agency")
		role := fs.String("role", "", "coordinator, adviser, mentor or agency")
		name := fs.String("name", "", "the user's name")
		label := fs.String("label", "", "what the key is for")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *orgName == "" || *role == "" || *name == "" {
			return errors.New("keys create: -org, -role and -name are required")
		}
		org, err := ensureOrganisation(ctx, st.DB, *orgName, *orgKind, now)
		if err != nil {
			return err
		}
		secret, k, u, err := access.IssueKey(ctx, st.DB, org, access.Role(*role), *name, *label, now, ids.New)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "organisation %s (%s)\nuser %s %q, role %s\nkey %s\n\n%s\n\nThe secret above is shown once; store it now.\n", org.Name, org.ID, u.ID, u.Name, u.Role, k.ID, secret)
		return nil
	case "list":
		fs := flag.NewFlagSet("keys list", flag.ContinueOnError)
		fs.SetOutput(stderr)
		orgName := fs.String("org", "", "only this organisation's keys")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		orgID := ""
		if *orgName != "" {
			org, err := st.DB.OrganisationByName(ctx, *orgName)
			if err != nil {
				return err
			}
			orgID = org.ID
		}
		keys, err := st.DB.Keys(ctx, orgID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY\tPREFIX\tROLE\tUSER\tORGANISATION\tCREATED\tREVOKED")
		for _, k := range keys {
			revoked := "-"
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s…\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Role, k.UserID, k.OrganisationID, k.CreatedAt.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if len(args) != 2 {
			return errors.New("keys revoke: give one key id")
		}
		if err := st.DB.RevokeKey(ctx, args[1], now); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %s revoked\n", args[1])
		return nil
	default:
		return fmt.Errorf("keys: unknown action %q (want create, list or revoke)", args[0])
	}
}

// ensureOrganisation returns the organisation called name, creating it if new.
func ensureOrganisation(ctx context.Context, s access.Store, name, kind string, now time.Time) (access.Organisation, error) {
	org, err := s.OrganisationByName(ctx, name)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return org, err
	}
	org = access.Organisation{ID: ids.New("org"), Name: name, Kind: kind, CreatedAt: now}
	if err := s.CreateOrganisation(ctx, org); err != nil {
		if apperr.Is(err, apperr.Conflict) { // created meanwhile
			return s.OrganisationByName(ctx, name)
		}
		return org, err
	}
	return org, nil
}
