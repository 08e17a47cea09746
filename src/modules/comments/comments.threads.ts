/** Deepest nesting level shown; replies below it are listed at this level, after their thread. */
export const maxThreadDepth = 5;

export interface ThreadableComment {
  id: number;
  parent_id: number | null;
  author_name: string;
}

export interface ThreadNode<C extends ThreadableComment> {
  comment: C;
  /** 1 for top level … maxDepth. */
  level: number;
  children: ThreadNode<C>[];
  /** Set when the comment is shown at a shallower level than its real depth: whom it answers. */
  inReplyTo?: { id: number; name: string };
}

/**
 * Arranges comments (in display order, oldest first) into threads. A comment whose parent is
 * not in the list is shown at the top level. Below `maxDepth`, replies are flattened in reading
 * order into the deepest level, each naming the comment it answers.
 */
export function buildThreads<C extends ThreadableComment>(comments: readonly C[], maxDepth = maxThreadDepth): ThreadNode<C>[] {
  const byId = new Map<number, C>();
  for (const c of comments) byId.set(c.id, c);
  const childrenOf = new Map<number, C[]>();
  const roots: C[] = [];
  for (const c of comments) {
    if (c.parent_id !== null && byId.has(c.parent_id) && c.parent_id !== c.id) {
      let list = childrenOf.get(c.parent_id);
      if (!list) childrenOf.set(c.parent_id, (list = []));
      list.push(c);
    } else {
      roots.push(c);
    }
  }

  const place = (comment: C, level: number, into: ThreadNode<C>[]): void => {
    const node: ThreadNode<C> = { comment, level, children: [] };
    into.push(node);
    const kids = childrenOf.get(comment.id) ?? [];
    if (level < maxDepth) {
      for (const kid of kids) place(kid, level + 1, node.children);
      return;
    }
    // At the deepest level: every descendant goes into the same list, depth-first, in reading order.
    const stack = [...kids].reverse();
    while (stack.length > 0) {
      const next = stack.pop() as C;
      const parent = byId.get(next.parent_id as number) as C;
      into.push({ comment: next, level, children: [], inReplyTo: { id: parent.id, name: parent.author_name } });
      const grandKids = childrenOf.get(next.id) ?? [];
      for (let i = grandKids.length - 1; i >= 0; i--) stack.push(grandKids[i] as C);
    }
  };

  const out: ThreadNode<C>[] = [];
  for (const root of roots) place(root, 1, out);
  return out;
}
