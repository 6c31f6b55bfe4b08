package dev.cumsum.support.training;

/**
 * A service's own traffic for a {@link TrainingRun}: drives its hot paths through its
 * real endpoints and checks the answers.
 */
@FunctionalInterface
public interface TrainingTraffic {

	/**
	 * Sends {@code requests} requests to the running service.
	 * @throws Exception when an answer is wrong or the service cannot be reached (the
	 * training run fails)
	 */
	void send(int requests) throws Exception;

}
