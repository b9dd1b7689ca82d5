package sandbox

// MaybeRunHelper runs the sandbox's helper stage when this process is one
// (see Start), and never returns in that case.
func MaybeRunHelper() {}
