package cli

import (
	"context"
	"fmt"
)

func init() {
	register(command{name: "version", summary: "print the loupe version", run: runVersion})
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "version", "version")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, env.Version)
	return nil
}
