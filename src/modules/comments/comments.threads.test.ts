import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildThreads, type ThreadNode } from './comments.threads.js';

const c = (id: number, parent_id: number | null = null) => ({ id, parent_id, author_name: `Reader ${id}` });

/** "id@level" in display order, with children in brackets. */
function shape(nodes: ThreadNode<ReturnType<typeof c>>[]): string {
  return nodes
    .map((n) => `${n.comment.id}@${n.level}${n.inReplyTo ? `>${n.inReplyTo.id}` : ''}${n.children.length ? `[${shape(n.children)}]` : ''}`)
    .join(' ');
}

describe('comment threads', () => {
  it('nests replies under their parents, oldest first', () => {
    const threads = buildThreads([c(1), c(2), c(3, 1), c(4, 3), c(5, 1), c(6, 2)]);
    assert.equal(shape(threads), '1@1[3@2[4@3] 5@2] 2@1[6@2]');
  });

  it('lists replies below the deepest level at that level, in reading order, naming whom they answer', () => {
    // 1 > 2 > 3 > 4 > 5 > 6 > 7, and 8 answers 6, 9 answers 5.
    const threads = buildThreads([c(1), c(2, 1), c(3, 2), c(4, 3), c(5, 4), c(6, 5), c(7, 6), c(8, 6), c(9, 5)], 5);
    assert.equal(shape(threads), '1@1[2@2[3@3[4@4[5@5 6@5>5 7@5>6 8@5>6 9@5>5]]]]');
  });

  it('shows a reply whose parent is not listed (not approved) at the top level', () => {
    assert.equal(shape(buildThreads([c(1), c(3, 2)])), '1@1 3@1');
  });

  it('handles a thread of 10,000 replies without deep recursion', () => {
    const chain = [c(1), ...Array.from({ length: 9_999 }, (_, i) => c(i + 2, i + 1))];
    const threads = buildThreads(chain, 5);
    let node = threads[0];
    for (let level = 1; level < 5; level++) node = node?.children[0];
    assert.equal(node?.level, 5);
    assert.equal(node?.children.length, 0);
    assert.equal(threads[0]?.children[0]?.children[0]?.children[0]?.children.length, 9_996);
  });
});
