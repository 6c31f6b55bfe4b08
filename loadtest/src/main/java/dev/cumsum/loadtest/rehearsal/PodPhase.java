package dev.cumsum.loadtest.rehearsal;

/** The pod phases the HPA distinguishes (Succeeded and Unknown are not modelled). */
public enum PodPhase {

	/** Not running yet (scheduling, image pull): set aside by the replica calculator. */
	PENDING, RUNNING,
	/** Ignored like a pod being deleted. */
	FAILED

}
