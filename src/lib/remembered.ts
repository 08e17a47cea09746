/**
 * `compute` with its last answers kept (at most `limit`, all dropped when full): for pure work a
 * page repeats on every render, such as formatting the same instants or the same comment's text.
 */
export function remembered(compute: (input: string) => string, limit = 10_000): (input: string) => string {
  const answers = new Map<string, string>();
  return (input) => {
    let answer = answers.get(input);
    if (answer === undefined) {
      answer = compute(input);
      if (answers.size >= limit) answers.clear();
      answers.set(input, answer);
    }
    return answer;
  };
}
