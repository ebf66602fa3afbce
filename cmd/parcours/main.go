// Command parcours runs Parcours: the API (serve), the background workers
// (work), both with embedded stores and demo data (dev, the default), the
// offline solver (solve) and admin commands (keys).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parcours:", err)
		os.Exit(1)
	}
}

// run is the whole program, driven by its arguments and environment so tests
// can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "dev"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "dev", "serve", "work", "keys":
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		switch cmd {
		case "dev":
			return runServe(ctx, cfg, stdout, stderr, serveOptions{demo: true, work: true})
		case "serve":
			return runServe(ctx, cfg, stdout, stderr, serveOptions{})
		case "work":
			return runWork(ctx, cfg, stderr)
		default:
			return runKeys(ctx, cfg, args, stdout, stderr)
		}
	case "solve":
		return runSolve(args, stdin, stdout, stderr)
	case "generate":
		return runGenerate(args, stdout, stderr)
	default:
		return fmt.Errorf("unknown command %q (want dev, serve, work, solve, generate, keys)", cmd)
	}
}
