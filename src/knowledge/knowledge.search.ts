// Finding answers among hundreds of thousands in a few milliseconds. Ranking every answer that has
// one of the query's words is what made search slow: common words ("customer", "account") are in
// most answers. So the GIN indexes first pick a few hundred candidates, most telling first, each
// group capped, and only those are ranked:
//   - answers with every word in the title, then every word anywhere, then all words but one;
//   - for each word but the most frequent, some answers with it in the title and some with it anywhere.
// A word (almost) no answer has is likely a typo or cut short: it is looked up by trigram
// similarity among the words of all titles (a small table) and searched as the words it is like.
// Trigram matching against the titles themselves cost tens of milliseconds per word even with its
// index (common trigrams are in most titles), and for a real word it adds nothing.
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { departments } from '../departments/departments.table.ts';
import { queryWords } from './knowledge.models.ts';
import { answers, answerTitleWords } from './knowledge.table.ts';

/** A word in fewer answers than this may be misspelt: the title words most like it are searched too. */
const RARE_BELOW = 3;
/**
 * A word in more answers than this share says little on its own: a few answers picked for it alone
 * would be any of tens of thousands, and finding them costs a bitmap of all of them.
 */
const FREQUENT_ABOVE = 0.05;
/** How many title words like a rare word are searched. */
const LIKE_WORDS = 3;
/** How many candidates each group brings at most. */
const GROUP_LIMIT = 50;
const WORD_IN_TITLE_LIMIT = 20;
const WORD_ANYWHERE_LIMIT = 10;
// Weights of the D, C, B and A parts of the vector (body C, tags B, title A; D unused).
const RANK_WEIGHTS = '{0.05, 0.3, 0.5, 1.0}';

/** The columns a result list shows. */
export const found = {
  id: answers.id,
  title: answers.title,
  body: answers.body,
  status: answers.status,
  permalink: answers.permalink,
  departmentKey: answers.departmentKey,
  creditedUserIds: answers.creditedUserIds,
  createdAt: answers.createdAt,
  sourceKind: answers.sourceKind,
  departmentName: departments.name,
};

interface Term {
  word: string;
  /** Fewer than RARE_BELOW answers have it. */
  rare: boolean;
  /** Title words like a rare word (pg_trgm's `%`: similarity at least 0.3), most alike first. */
  like: string[];
  /** In more than FREQUENT_ABOVE of the answers, by the planner's statistics. */
  frequent: boolean;
}

/**
 * The best answers for what a person typed, best first; retired ones never. Ranked by full-text
 * search on the weighted vector (every word may match, all of them rank higher), and for a word
 * no answer has, by its trigram similarity to the title's words (a typo).
 */
export async function findAnswers(
  db: Db,
  { query, language, limit }: { query: string; language: string; limit: number },
) {
  const words = queryWords(query);
  if (words.length === 0) return [];
  return await db.transaction(async (db) => {
    // The planner adds up the costs of subqueries it may never run: past jit_above_cost it would
    // compile these statements to machine code, which takes longer than running them. And for a
    // capped group it may pick a table scan, expecting to find enough rows early: for a word it
    // misjudges, that reads all 200,000 answers; an index scan costs a few milliseconds at worst.
    await db.execute(sql`select set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)`);
    const cfg = sql`${language}::regconfig`;
    const prefix = (word: string) => sql`to_tsquery(${cfg}, ${`${word}:*`})`;
    // A word among the most common of the answers' words (the planner's statistics keep about a
    // thousand) is common. Any other is counted in live answers through the index, which is cheap
    // for an uncommon word (a limited count would let the planner scan the whole table for a word
    // no answer has). Stop words say nothing about the topic: they would match every title.
    const common = sql`(select lexemes from common)`;
    const probes = words.map((word) => {
      const seen = sql`case when ${common} @> tsvector_to_array(to_tsvector(${cfg}, ${word})) then ${RARE_BELOW}
      else (select count(*)::int from ${answers} where ${answers.search} @@ ${prefix(word)} and ${answers.status} <> 'retired') end`;
      const like = sql`array(select ${answerTitleWords.word} from ${answerTitleWords}
      where ${answerTitleWords.word} % ${word} and ${answerTitleWords.word} <> ${word}
      order by ${answerTitleWords.word} <-> ${word}, ${answerTitleWords.word} limit ${LIKE_WORDS})`;
      const share = sql`(select max(f) from common_freqs where e = any(tsvector_to_array(to_tsvector(${cfg}, ${word}))))`;
      return sql`select ${word}::text as word, seen < ${RARE_BELOW} as rare,
      case when seen < ${RARE_BELOW} then ${like} else '{}' end as "like",
      coalesce(${share} > ${FREQUENT_ABOVE}, false) as frequent
      from (select ${seen} as seen where numnode(plainto_tsquery(${cfg}, ${word})) > 0 offset 0) as counted`;
    });
    const terms: Term[] = await db
      .select({
        word: sql<string>`word`,
        rare: sql<boolean>`rare`,
        like: sql<string[]>`"like"`,
        frequent: sql<boolean>`frequent`,
      })
      .from(
        sql`(with common as materialized (select most_common_elems::text::text[] as lexemes,
            most_common_elem_freqs as freqs from pg_catalog.pg_stats
          where schemaname = current_schema() and tablename = 'answers' and attname = 'search'),
        common_freqs as materialized (select e, f from common, unnest(lexemes, freqs) as x(e, f))
        ${sql.join(probes, sql` union all `)}) as probe`,
      );
    if (terms.length === 0) return [];

    // A common word is matched as its exact stem (a prefix search of a word in most answers reads
    // all of them); a rare one as a prefix (a word cut short) and as the title words like it, exactly
    // (they may be common).
    const exact = (word: string) => sql`plainto_tsquery(${cfg}, ${word})`;
    const has = ({ word, rare, like }: Term, where: 'title' | 'anywhere') => {
      const forms = rare ? [prefix(word), ...like.map(exact)] : [exact(word)];
      return sql`${where === 'title' ? answers.titleSearch : answers.search} @@ (${sql.join(forms, sql` || `)})`;
    };
    const all = (list: Term[], where: 'title' | 'anywhere') =>
      sql.join(
        list.map((t) => has(t, where)),
        sql` and `,
      );
    const groups: Array<[SQL, number]> = [
      [all(terms, 'title'), GROUP_LIMIT],
      [all(terms, 'anywhere'), GROUP_LIMIT],
    ];
    if (terms.length >= 3) {
      const allButOne = terms.map((_, i) => sql`(${all(terms.toSpliced(i, 1), 'anywhere')})`);
      groups.push([sql.join(allButOne, sql` or `), GROUP_LIMIT]);
    }
    if (terms.length >= 2)
      for (const term of terms.filter((t) => !t.frequent))
        groups.push([has(term, 'title'), WORD_IN_TITLE_LIMIT], [has(term, 'anywhere'), WORD_ANYWHERE_LIMIT]);
    const candidates = sql.join(
      groups.map(
        ([where, cap]) =>
          sql`(select ${answers.id} from ${answers} where ${answers.status} <> 'retired' and ${where} limit ${cap})`,
      ),
      sql` union `,
    );

    const anyWord = sql.join(
      terms.map((t) => prefix(t.word)),
      sql` || `,
    );
    const allWords = sql`websearch_to_tsquery(${cfg}, ${query})`;
    // How much of the query an answer covers: each word found (any form), else how close it comes
    // to a word of the title (a typo); an answer about one word of four is not about the query.
    const coverage = sql.join(
      terms.map(
        ({ word }) =>
          sql`case when ${answers.search} @@ ${prefix(word)} then 1 else power(word_similarity(${word}, ${answers.title}), 2) end`,
      ),
      sql` + `,
    );
    const score = sql<number>`(
      power((${coverage}) / ${terms.length}, 2)
        * (0.4 + ts_rank_cd(${RANK_WEIGHTS}::float4[], ${answers.search}, ${anyWord}, 32))
      + case when ${answers.search} @@ ${allWords} then 0.1 else 0 end
    )::float8`;
    return await db
      .select({ ...found, score: score.as('score') })
      .from(answers)
      .leftJoin(departments, eq(departments.key, answers.departmentKey))
      .where(sql`${answers.id} in (${candidates})`)
      .orderBy(desc(sql`score`), desc(answers.helpfulVotes), desc(answers.createdAt))
      .limit(limit);
  });
}
